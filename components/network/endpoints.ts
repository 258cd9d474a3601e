import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { NetworkSettings } from "../../config/sections/network";

export interface EndpointsArgs {
    /** The region whose service endpoints are used. */
    readonly region: string;
    /** The VPC the endpoints serve. */
    readonly vpcId: pulumi.Input<string>;
    /** The VPC's block: the only source the interface endpoints admit. */
    readonly vpcCidrBlock: pulumi.Input<string>;
    /** Route tables that reach S3 through the gateway endpoint (the private ones). */
    readonly gatewayRouteTableIds: pulumi.Input<string>[];
    /** Subnets the interface endpoints place their network interfaces in. */
    readonly interfaceSubnetIds: pulumi.Input<string>[];
    /** Services reached through interface endpoints. */
    readonly interfaceServices: NetworkSettings["interfaceEndpoints"];
}

/**
 * Private paths to AWS: S3 through a free gateway endpoint always (image layers come from S3),
 * and the configured services through interface endpoints that admit HTTPS from the VPC only.
 */
export function createEndpoints(name: string, args: EndpointsArgs, parent: pulumi.Resource): void {
    new aws.ec2.VpcEndpoint(
        `${name}-s3`,
        { vpcId: args.vpcId, serviceName: `com.amazonaws.${args.region}.s3`, vpcEndpointType: "Gateway", routeTableIds: args.gatewayRouteTableIds },
        { parent },
    );
    if (args.interfaceServices.length === 0) {
        return;
    }
    const group = new aws.ec2.SecurityGroup(
        `${name}-interface`,
        {
            vpcId: args.vpcId,
            description: "HTTPS from the VPC to the AWS interface endpoints",
            ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: [args.vpcCidrBlock], description: "HTTPS from the VPC" }],
        },
        { parent },
    );
    for (const service of args.interfaceServices) {
        new aws.ec2.VpcEndpoint(
            `${name}-${service.replace(/\./g, "-")}`,
            {
                vpcId: args.vpcId,
                serviceName: `com.amazonaws.${args.region}.${service}`,
                vpcEndpointType: "Interface",
                privateDnsEnabled: true,
                subnetIds: args.interfaceSubnetIds,
                securityGroupIds: [group.id],
            },
            { parent },
        );
    }
}
