import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { GrantedRole } from "../grantedRole";

/** The role RDS enhanced monitoring publishes OS metrics with; the instance waits for its policy. */
export function createMonitoringRole(name: string, parent: pulumi.Resource): GrantedRole {
    const role = new aws.iam.Role(
        name,
        {
            assumeRolePolicy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Principal: { Service: "monitoring.rds.amazonaws.com" }, Action: "sts:AssumeRole" }],
            }),
        },
        { parent },
    );
    const permission = new aws.iam.RolePolicyAttachment(
        name,
        { role: role.name, policyArn: "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole" },
        { parent },
    );
    return { arn: role.arn, permissions: [permission] };
}
