import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { GrantedRole } from "../grantedRole";

/** What every node needs: join the cluster and pull images. Pod networking gets its own IRSA role. */
export const nodePolicyArns = [
    "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
    "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
];

/** The instance role of the managed node groups; node groups wait for its policies. */
export function createNodeRole(name: string, parent: pulumi.Resource): GrantedRole {
    const role = new aws.iam.Role(
        name,
        {
            assumeRolePolicy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
            }),
        },
        { parent },
    );
    const permissions = nodePolicyArns.map((policyArn, i) => new aws.iam.RolePolicyAttachment(`${name}-${i}`, { role: role.name, policyArn }, { parent }));
    return { arn: role.arn, permissions };
}
