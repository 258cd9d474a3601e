import { strict as assert } from "assert";
import { clusterName } from "../../components/naming";
import { fakeZones } from "../../tools/engine/fakeAccount";
import type { RenderQuery } from "../../tools/engine/query";
import type { RenderedResource } from "../../tools/engine/model";
import { render, stacks } from "../harness";

const subnetType = "aws:ec2/subnet:Subnet";
const associationType = "aws:ec2/routeTableAssociation:RouteTableAssociation";
const routeType = "aws:ec2/route:Route";

const tierOf = (subnet: RenderedResource) => (subnet.inputs.tags as Record<string, string>).tier;
const subnetsOf = (q: RenderQuery, tier: string) => q.ofType(subnetType).filter((s) => tierOf(s) === tier);

/** The routes of the table a subnet is associated with. */
function routesOf(q: RenderQuery, subnet: RenderedResource): RenderedResource[] {
    const association = q.ofType(associationType).find((a) => q.sourceOf(a, "subnetId").urn === subnet.urn);
    assert.ok(association, `${subnet.name} has an explicit route table`);
    const table = q.sourceOf(association, "routeTableId");
    return q.ofType(routeType).filter((r) => q.sourceOf(r, "routeTableId").urn === table.urn);
}

const expectedZones = { dev: 2, production: 3 } as const;

describe("network", () => {
    for (const stack of stacks) {
        describe(`${stack} stack`, () => {
            it(`puts a public, a private and an isolated subnet in each of ${expectedZones[stack]} zones from the region`, async () => {
                const q = await render(stack);
                const zones = fakeZones("eu-west-1").slice(0, expectedZones[stack]);
                for (const tier of ["public", "private", "isolated"]) {
                    assert.deepEqual(subnetsOf(q, tier).map((s) => s.inputs.availabilityZone).sort(), zones, tier);
                }
                assert.deepEqual(q.outputs.availabilityZones, zones);
            });

            it("resolves names inside the VPC", async () => {
                const vpc = (await render(stack)).one("aws:ec2/vpc:Vpc");
                assert.equal(vpc.inputs.enableDnsSupport, true);
                assert.equal(vpc.inputs.enableDnsHostnames, true);
            });

            it("never gives an instance a public address on launch", async () => {
                for (const subnet of (await render(stack)).ofType(subnetType)) {
                    assert.equal(subnet.inputs.mapPublicIpOnLaunch, false, subnet.name);
                }
            });

            it("leaves isolated subnets without any route out of the VPC", async () => {
                const q = await render(stack);
                for (const subnet of subnetsOf(q, "isolated")) {
                    assert.deepEqual(routesOf(q, subnet), [], subnet.name);
                }
            });

            it("routes public subnets to the internet gateway", async () => {
                const q = await render(stack);
                for (const subnet of subnetsOf(q, "public")) {
                    const [route] = routesOf(q, subnet);
                    assert.equal(q.sourceOf(route, "gatewayId").type, "aws:ec2/internetGateway:InternetGateway");
                }
            });

            it("tags subnets for the load balancer controller and the cluster", async () => {
                const q = await render(stack);
                const cluster = `kubernetes.io/cluster/${clusterName({ project: "platform", stack })}`;
                for (const subnet of subnetsOf(q, "public")) {
                    assert.equal((subnet.inputs.tags as Record<string, string>)["kubernetes.io/role/elb"], "1");
                    assert.equal((subnet.inputs.tags as Record<string, string>)[cluster], "shared");
                }
                for (const subnet of subnetsOf(q, "private")) {
                    assert.equal((subnet.inputs.tags as Record<string, string>)["kubernetes.io/role/internal-elb"], "1");
                    assert.equal((subnet.inputs.tags as Record<string, string>)[cluster], "shared");
                }
            });

            it("closes the VPC's default security group", async () => {
                const q = await render(stack);
                const group = q.one("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup");
                assert.equal(q.sourceOf(group, "vpcId").type, "aws:ec2/vpc:Vpc");
                assert.equal(group.inputs.ingress, undefined);
                assert.equal(group.inputs.egress, undefined);
            });

            it("writes flow logs to a log group that expires them", async () => {
                const q = await render(stack);
                const flowLog = q.one("aws:ec2/flowLog:FlowLog");
                const group = q.sourceOf(flowLog, "logDestination");
                assert.equal(group.type, "aws:cloudwatch/logGroup:LogGroup");
                assert.ok(Number(group.inputs.retentionInDays) > 0);
                assert.equal(flowLog.inputs.trafficType, stack === "production" ? "ALL" : "REJECT");
            });

            it("lets the flow log's role do what the VPC User Guide lists for delivery to CloudWatch Logs", async () => {
                // flow-logs-iam-role.html: CreateLogGroup, CreateLogStream, PutLogEvents, DescribeLogGroups and
                // DescribeLogStreams. CreateLogGroup is not needed: the group is created before the flow log.
                const q = await render(stack);
                const role = q.sourceOf(q.one("aws:ec2/flowLog:FlowLog"), "iamRoleArn");
                const policy = q.ofType("aws:iam/rolePolicy:RolePolicy").find((p) => q.sourceOf(p, "role").urn === role.urn) as RenderedResource;
                const allowed = JSON.parse(policy.inputs.policy as string).Statement.flatMap((s: { Action: string | string[] }) => [s.Action].flat());
                for (const action of ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogGroups", "logs:DescribeLogStreams"]) {
                    assert.ok(allowed.includes(action), `the flow log role may ${action}`);
                }
            });

            it("reaches S3 through the gateway endpoint from the private subnets", async () => {
                const q = await render(stack);
                const endpoint = q.ofType("aws:ec2/vpcEndpoint:VpcEndpoint").find((e) => e.inputs.vpcEndpointType === "Gateway");
                assert.equal(endpoint?.inputs.serviceName, "com.amazonaws.eu-west-1.s3");
                assert.equal(q.sourcesOf(endpoint, "routeTableIds").length, expectedZones[stack]);
            });
        });
    }

    it("routes each private subnet in production through the NAT gateway of its own zone", async () => {
        const q = await render("production");
        for (const subnet of subnetsOf(q, "private")) {
            const [route] = routesOf(q, subnet);
            const nat = q.sourceOf(route, "natGatewayId");
            assert.equal(q.sourceOf(nat, "subnetId").inputs.availabilityZone, subnet.inputs.availabilityZone);
        }
    });

    it("shares one NAT gateway in dev", async () => {
        const q = await render("dev");
        assert.equal(q.ofType("aws:ec2/natGateway:NatGateway").length, 1);
        for (const subnet of subnetsOf(q, "private")) {
            assert.equal(q.sourceOf(routesOf(q, subnet)[0], "natGatewayId").type, "aws:ec2/natGateway:NatGateway");
        }
    });

    it("reaches ECR and STS privately in production, admitting HTTPS from the VPC only", async () => {
        const q = await render("production");
        const services = q
            .ofType("aws:ec2/vpcEndpoint:VpcEndpoint")
            .filter((e) => e.inputs.vpcEndpointType === "Interface")
            .map((e) => e.inputs.serviceName);
        assert.deepEqual(services.sort(), ["com.amazonaws.eu-west-1.ecr.api", "com.amazonaws.eu-west-1.ecr.dkr", "com.amazonaws.eu-west-1.sts"]);
        const group = q.one("aws:ec2/securityGroup:SecurityGroup", "network-endpoints-interface");
        assert.deepEqual(group.inputs.ingress, [
            { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.0.0.0/16"], description: "HTTPS from the VPC" },
        ]);
    });

    it("keeps dev free of interface endpoints, which cost per hour", async () => {
        const q = await render("dev");
        assert.deepEqual(q.ofType("aws:ec2/vpcEndpoint:VpcEndpoint").filter((e) => e.inputs.vpcEndpointType === "Interface"), []);
    });
});
