import type * as eks from "@pulumi/eks";

/** Cluster-wide administrator, as EKS defines it for access entries. */
export const clusterAdminPolicyArn = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";

/**
 * Access entries making each listed role a cluster admin, keyed by role name. They depend on the
 * config alone, never on who runs the update, so every caller plans the same entries.
 */
export function adminAccessEntries(roleArns: readonly string[]): Record<string, eks.types.input.AccessEntryArgs> {
    const entries: Record<string, eks.types.input.AccessEntryArgs> = {};
    for (const principalArn of roleArns) {
        const key = principalArn.slice(principalArn.lastIndexOf("/") + 1);
        entries[key] = { principalArn, accessPolicies: { admin: { policyArn: clusterAdminPolicyArn, accessScope: { type: "cluster" } } } };
    }
    return entries;
}
