import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";

/** The role RDS enhanced monitoring publishes OS metrics with. */
export function createMonitoringRole(name: string, parent: pulumi.Resource): aws.iam.Role {
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
    new aws.iam.RolePolicyAttachment(
        name,
        { role: role.name, policyArn: "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole" },
        { parent },
    );
    return role;
}
