import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { GrantedRole } from "../grantedRole";

/** The Kubernetes service account a role is for. */
export interface ServiceAccountRef {
    readonly namespace: string;
    readonly name: string;
}

/** The cluster's OpenID Connect provider, which vouches for service account tokens. */
export interface OidcProvider {
    readonly arn: pulumi.Input<string>;
    /** Issuer URL, with or without `https://`. */
    readonly url: pulumi.Input<string>;
}

/**
 * The trust policy of an IRSA role: only tokens the cluster issued to this one service
 * account, for STS, may assume it.
 */
export function irsaTrustPolicy(providerArn: string, issuerUrl: string, account: ServiceAccountRef): string {
    const issuer = issuerUrl.replace(/^https:\/\//, "");
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Federated: providerArn },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: {
                    StringEquals: {
                        [`${issuer}:sub`]: `system:serviceaccount:${account.namespace}:${account.name}`,
                        [`${issuer}:aud`]: "sts.amazonaws.com",
                    },
                },
            },
        ],
    });
}

/** An IAM role one service account assumes through the cluster's OIDC provider, with its permissions. */
export function createIrsaRole(
    name: string,
    args: { oidc: OidcProvider; account: ServiceAccountRef; policy?: pulumi.Input<string>; managedPolicyArns?: string[] },
    parent: pulumi.Resource,
): GrantedRole {
    const role = new aws.iam.Role(
        name,
        { assumeRolePolicy: pulumi.all([args.oidc.arn, args.oidc.url]).apply(([arn, url]) => irsaTrustPolicy(arn, url, args.account)) },
        { parent },
    );
    const permissions: pulumi.Resource[] = [];
    if (args.policy !== undefined) {
        permissions.push(new aws.iam.RolePolicy(name, { role: role.id, policy: args.policy }, { parent }));
    }
    (args.managedPolicyArns ?? []).forEach((policyArn, i) => {
        permissions.push(new aws.iam.RolePolicyAttachment(`${name}-${i}`, { role: role.name, policyArn }, { parent }));
    });
    return { arn: role.arn, permissions };
}
