import type * as eks from "@pulumi/eks";

/** Cluster-wide administrator, as EKS defines it for access entries. */
export const clusterAdminPolicyArn = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";

/**
 * Read-only access to most Kubernetes objects, Secrets excepted (EKS User Guide, "Review access
 * policy permissions", AmazonEKSViewPolicy): what `pulumi preview` needs to read the live objects.
 */
export const clusterViewPolicyArn = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy";

/** The roles given access, by what they may do. */
export interface ClusterAccess {
    readonly adminRoleArns: readonly string[];
    readonly viewerRoleArns: readonly string[];
}

/**
 * An access entry per listed role, keyed by role name: admins get cluster admin, viewers the view
 * policy. They depend on the config alone, never on who runs the update, so every caller plans
 * the same entries.
 */
export function accessEntries(access: ClusterAccess): Record<string, eks.types.input.AccessEntryArgs> {
    const entries: Record<string, eks.types.input.AccessEntryArgs> = {};
    const grant = (roleArns: readonly string[], policy: string, policyArn: string) => {
        for (const principalArn of roleArns) {
            const key = principalArn.slice(principalArn.lastIndexOf("/") + 1);
            entries[key] = { principalArn, accessPolicies: { [policy]: { policyArn, accessScope: { type: "cluster" } } } };
        }
    };
    grant(access.adminRoleArns, "admin", clusterAdminPolicyArn);
    grant(access.viewerRoleArns, "view", clusterViewPolicyArn);
    return entries;
}
