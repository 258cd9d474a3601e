import { z } from "zod";
import { formatBlock, isNetworkAddress, largestVpcPrefix, parseBlock, smallestPlannedPrefix, smallestSubnetPrefix } from "../../components/network/subnetPlan";
import type { PerProfile } from "../profile";
import { ipv4Cidr, noDuplicates } from "../rules";

/** The retention periods CloudWatch Logs accepts, in days. */
export const logRetentionDays = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/** The AWS services the VPC can reach privately through interface endpoints. */
export const interfaceEndpointServices = ["ecr.api", "ecr.dkr", "sts", "logs", "ec2", "elasticloadbalancing", "autoscaling"] as const;

const vpcCidr = ipv4Cidr.superRefine((cidr, ctx) => {
    // Zod runs refinements after a failed format check too: a value that is no CIDR has its line already.
    if (!ipv4Cidr.safeParse(cidr).success) {
        return;
    }
    const block = parseBlock(cidr);
    if (!isNetworkAddress(block)) {
        const network = formatBlock({ address: block.address - (block.address % 2 ** (32 - block.prefix)), prefix: block.prefix });
        ctx.addIssue({ code: "custom", input: cidr, message: `has host bits set; did you mean ${network}?` });
    } else if (block.prefix < 16) {
        ctx.addIssue({ code: "custom", input: cidr, message: "is larger than the /16 AWS allows for a VPC" });
    }
});

export const networkSchema = z
    .strictObject({
        cidr: vpcCidr.meta({ description: "The VPC's IPv4 block, /16 to /23; every subnet is carved from it. Default `10.0.0.0/16`." }),
        availabilityZones: z
            .int()
            .min(2)
            .max(6)
            .meta({ description: "How many of the region's zones get a subnet of each tier. Dev 2, production 3." }),
        natGateways: z
            .enum(["single", "perAz"])
            .meta({ description: "`single`: one NAT gateway for every zone (cheap). `perAz`: one per zone, so a zone outage cuts no other zone off. Dev `single`, production `perAz`." }),
        flowLogs: z
            .strictObject({
                retentionDays: z.literal(logRetentionDays).meta({ description: "Days CloudWatch keeps the flow logs. Dev 14, production 365." }),
                trafficType: z
                    .enum(["ALL", "REJECT", "ACCEPT"])
                    .meta({ description: "Which traffic the flow logs record. Dev `REJECT`, production `ALL`." }),
            })
            .meta({ description: "VPC flow logs, always on, to CloudWatch Logs." }),
        interfaceEndpoints: z
            .array(z.enum(interfaceEndpointServices))
            .superRefine(noDuplicates())
            .meta({ description: "AWS services reached through interface endpoints instead of the NAT (the S3 gateway endpoint is always there). Dev none, production `ecr.api`, `ecr.dkr`, `sts`." }),
    })
    .superRefine((network, ctx) => {
        if (!vpcCidr.safeParse(network.cidr).success) {
            return;
        }
        const prefix = parseBlock(network.cidr).prefix;
        if (smallestPlannedPrefix(prefix, network.availabilityZones) > smallestSubnetPrefix) {
            ctx.addIssue({
                code: "custom",
                path: ["cidr"],
                input: network.cidr,
                message: `is too small for subnets in ${network.availabilityZones} zones; use a /${largestVpcPrefix(network.availabilityZones)} or larger`,
            });
        }
    })
    .meta({ description: "The VPC: its address block, zones, NAT gateways, flow logs and private endpoints." });

export type NetworkSettings = z.output<typeof networkSchema>;

export const networkDefaults: PerProfile<z.input<typeof networkSchema>> = {
    dev: {
        cidr: "10.0.0.0/16",
        availabilityZones: 2,
        natGateways: "single",
        flowLogs: { retentionDays: 14, trafficType: "REJECT" },
        interfaceEndpoints: [],
    },
    production: {
        cidr: "10.0.0.0/16",
        availabilityZones: 3,
        natGateways: "perAz",
        flowLogs: { retentionDays: 365, trafficType: "ALL" },
        interfaceEndpoints: ["ecr.api", "ecr.dkr", "sts"],
    },
};
