import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { NetworkSettings } from "../../config/sections/network";

export type FlowLogsArgs = NetworkSettings["flowLogs"] & {
    /** The VPC whose traffic is recorded. */
    readonly vpcId: pulumi.Input<string>;
    /** Leave the log group behind on destroy (production: the records outlive the network). */
    readonly keepOnDestroy: boolean;
};

/** The VPC's flow logs in a CloudWatch log group that expires them, written through a role of their own. */
export function createFlowLogs(name: string, args: FlowLogsArgs, parent: pulumi.Resource): aws.ec2.FlowLog {
    const logGroup = new aws.cloudwatch.LogGroup(name, { retentionInDays: args.retentionDays }, { parent, retainOnDelete: args.keepOnDestroy });
    const role = new aws.iam.Role(
        name,
        {
            assumeRolePolicy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Principal: { Service: "vpc-flow-logs.amazonaws.com" }, Action: "sts:AssumeRole" }],
            }),
        },
        { parent },
    );
    const permissions = new aws.iam.RolePolicy(
        name,
        {
            role: role.id,
            policy: logGroup.arn.apply((arn) =>
                JSON.stringify({
                    Version: "2012-10-17",
                    // The minimum the VPC User Guide lists (flow-logs-iam-role.html), less CreateLogGroup: the
                    // group exists before the flow log. DescribeLogGroups is a list action with no log-group resource.
                    Statement: [
                        {
                            Effect: "Allow",
                            Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                            Resource: [arn, `${arn}:*`],
                        },
                        { Effect: "Allow", Action: "logs:DescribeLogGroups", Resource: "*" },
                    ],
                }),
            ),
        },
        { parent },
    );
    return new aws.ec2.FlowLog(
        name,
        { vpcId: args.vpcId, trafficType: args.trafficType, logDestinationType: "cloud-watch-logs", logDestination: logGroup.arn, iamRoleArn: role.arn },
        // The role's ARN exists before its permissions: the first deliveries would be refused without them.
        { parent, dependsOn: [permissions] },
    );
}
