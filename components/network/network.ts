import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { NetworkSettings } from "../../config/sections/network";
import { createEndpoints } from "./endpoints";
import { createFlowLogs } from "./flowLogs";
import { natZoneFor } from "./nat";
import { planSubnets, type Tier } from "./subnetPlan";

interface NamedSubnet {
    readonly name: string;
    readonly subnet: aws.ec2.Subnet;
}

export interface NetworkArgs {
    /** The network section of the stack config: CIDR, zone count, NAT strategy, flow logs, endpoints. */
    readonly settings: NetworkSettings;
    /** The zones to use, in order; as many as `settings.availabilityZones` (see `lookupZones`). */
    readonly zones: readonly string[];
    /** The region the VPC is in. */
    readonly region: string;
    /** The EKS cluster's name, tagged on the subnets its load balancers may use. */
    readonly clusterName: string;
    /** True in production: a destroy leaves the flow log group (audit data) behind. */
    readonly keepLogsOnDestroy: boolean;
}

/** The console name of a network resource: the stack's prefix and what it is. */
function nameTag(args: NetworkArgs, what: string): Record<string, string> {
    return { Name: `${args.clusterName}-${what}` };
}

/** Tags that tell EKS and the AWS Load Balancer Controller which subnets are theirs. */
export function subnetTags(tier: Tier, clusterName: string): Record<string, string> {
    const roles: Record<Tier, Record<string, string>> = {
        public: { "kubernetes.io/role/elb": "1" },
        private: { "kubernetes.io/role/internal-elb": "1" },
        isolated: {},
    };
    const cluster: Record<string, string> = tier === "isolated" ? {} : { [`kubernetes.io/cluster/${clusterName}`]: "shared" };
    return { ...roles[tier], ...cluster, tier };
}

/**
 * The VPC the cluster and database live in: public, private and isolated subnets in each zone,
 * NAT by strategy, flow logs, a closed default security group and private endpoints.
 */
export class Network extends pulumi.ComponentResource {
    readonly vpcId: pulumi.Output<string>;
    readonly vpcCidrBlock: pulumi.Output<string>;
    readonly availabilityZones: string[];
    readonly publicSubnetIds: pulumi.Output<string>[];
    readonly privateSubnetIds: pulumi.Output<string>[];
    readonly isolatedSubnetIds: pulumi.Output<string>[];
    /** The public subnets' blocks, where the load balancers are (for ingress rules from them). */
    readonly publicCidrBlocks: string[];
    /** The private subnets' blocks, where nodes, pods and the interface endpoints are. */
    readonly privateCidrBlocks: string[];
    /** The isolated subnets' blocks, where the database lives (for egress rules towards it). */
    readonly isolatedCidrBlocks: string[];

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:network:Network", name, {}, opts);
        const parent = { parent: this };
        const plan = planSubnets(args.settings.cidr, args.zones.length);

        const vpc = new aws.ec2.Vpc(
            name,
            { cidrBlock: args.settings.cidr, enableDnsSupport: true, enableDnsHostnames: true, tags: nameTag(args, "vpc") },
            parent,
        );
        // Adopting the default group with no rules closes it: nothing can use it by accident.
        new aws.ec2.DefaultSecurityGroup(`${name}-default`, { vpcId: vpc.id, tags: nameTag(args, "default-closed") }, parent);

        const subnets = (tier: Tier) =>
            args.zones.map(
                (zone, i): NamedSubnet => ({
                    name: `${name}-${tier}-${zone}`,
                    subnet: new aws.ec2.Subnet(
                        `${name}-${tier}-${zone}`,
                        {
                            vpcId: vpc.id,
                            cidrBlock: plan[tier][i],
                            availabilityZone: zone,
                            mapPublicIpOnLaunch: false,
                            tags: { ...nameTag(args, `${tier}-${zone}`), ...subnetTags(tier, args.clusterName) },
                        },
                        parent,
                    ),
                }),
            );
        const publicSubnets = subnets("public");
        const privateSubnets = subnets("private");
        const isolatedSubnets = subnets("isolated");

        const gateway = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: nameTag(args, "igw") }, parent);
        const publicTable = this.routeTable(`${name}-public`, nameTag(args, "public").Name, vpc, publicSubnets);
        new aws.ec2.Route(`${name}-public-internet`, { routeTableId: publicTable.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: gateway.id }, parent);

        const natZones = args.zones.map((_, i) => natZoneFor(i, args.settings.natGateways));
        const natGateways = [...new Set(natZones)].map((i) => {
            const zone = args.zones[i];
            const address = new aws.ec2.Eip(`${name}-nat-${zone}`, { domain: "vpc", tags: nameTag(args, `nat-${zone}`) }, parent);
            const nat = new aws.ec2.NatGateway(
                `${name}-nat-${zone}`,
                { allocationId: address.id, subnetId: publicSubnets[i].subnet.id, tags: nameTag(args, `nat-${zone}`) },
                { parent: this, dependsOn: [gateway] },
            );
            return [i, nat] as const;
        });
        const natByZone = new Map(natGateways);

        const privateTables = args.zones.map((zone, i) => {
            const table = this.routeTable(`${name}-private-${zone}`, nameTag(args, `private-${zone}`).Name, vpc, [privateSubnets[i]]);
            const nat = natByZone.get(natZones[i]) as aws.ec2.NatGateway;
            new aws.ec2.Route(`${name}-private-${zone}-internet`, { routeTableId: table.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nat.id }, parent);
            return table;
        });
        // Isolated subnets get a table of their own with only the VPC's local route.
        this.routeTable(`${name}-isolated`, nameTag(args, "isolated").Name, vpc, isolatedSubnets);

        createFlowLogs(`${name}-flow-logs`, { vpcId: vpc.id, keepOnDestroy: args.keepLogsOnDestroy, ...args.settings.flowLogs }, this);
        createEndpoints(
            `${name}-endpoints`,
            {
                region: args.region,
                vpcId: vpc.id,
                vpcCidrBlock: vpc.cidrBlock,
                gatewayRouteTableIds: privateTables.map((t) => t.id),
                interfaceSubnetIds: privateSubnets.map((s) => s.subnet.id),
                interfaceServices: args.settings.interfaceEndpoints,
            },
            this,
        );

        this.vpcId = vpc.id;
        this.vpcCidrBlock = vpc.cidrBlock;
        this.availabilityZones = [...args.zones];
        this.publicSubnetIds = publicSubnets.map((s) => s.subnet.id);
        this.privateSubnetIds = privateSubnets.map((s) => s.subnet.id);
        this.isolatedSubnetIds = isolatedSubnets.map((s) => s.subnet.id);
        this.publicCidrBlocks = plan.public;
        this.privateCidrBlocks = plan.private;
        this.isolatedCidrBlocks = plan.isolated;
        this.registerOutputs({
            vpcId: this.vpcId,
            publicSubnetIds: this.publicSubnetIds,
            privateSubnetIds: this.privateSubnetIds,
            isolatedSubnetIds: this.isolatedSubnetIds,
        });
    }

    private routeTable(name: string, tagName: string, vpc: aws.ec2.Vpc, subnets: NamedSubnet[]): aws.ec2.RouteTable {
        const table = new aws.ec2.RouteTable(name, { vpcId: vpc.id, tags: { Name: tagName } }, { parent: this });
        for (const { name: subnetName, subnet } of subnets) {
            new aws.ec2.RouteTableAssociation(subnetName, { routeTableId: table.id, subnetId: subnet.id }, { parent: this });
        }
        return table;
    }
}
