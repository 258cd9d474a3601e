import type * as eks from "@pulumi/eks";

/** Cluster-wide administrator, as EKS defines it for access entries. */
export const clusterAdminPolicyArn = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";

/**
 * Access entries making each listed role a cluster admin. The role creating the cluster is an
 * admin already (EKS bootstraps it), and listing it again would fail, so it is left out.
 */
export function adminAccessEntries(roleArns: readonly string[], creatorRoleArn: string): Record<string, eks.types.input.AccessEntryArgs> {
    const entries: Record<string, eks.types.input.AccessEntryArgs> = {};
    for (const principalArn of roleArns.filter((arn) => arn !== creatorRoleArn)) {
        const key = principalArn.slice(principalArn.lastIndexOf("/") + 1);
        entries[key] = { principalArn, accessPolicies: { admin: { policyArn: clusterAdminPolicyArn, accessScope: { type: "cluster" } } } };
    }
    return entries;
}
