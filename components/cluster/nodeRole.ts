import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";

/** What every node needs: join the cluster and pull images. Pod networking gets its own IRSA role. */
export const nodePolicyArns = [
    "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
    "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
];

/** The instance role of the managed node groups. */
export function createNodeRole(name: string, parent: pulumi.Resource): aws.iam.Role {
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
    nodePolicyArns.forEach((policyArn, i) => {
        new aws.iam.RolePolicyAttachment(`${name}-${i}`, { role: role.name, policyArn }, { parent });
    });
    return role;
}
