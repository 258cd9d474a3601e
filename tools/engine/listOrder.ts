/**
 * Lists whose order has no meaning to the provider, by resource type: a diff reports their
 * members gained and lost but not a new order. Any other list of scalars reports a reorder too,
 * since order may matter there (instance types by preference, container args).
 */
export const unorderedPaths: Record<string, string[]> = {
    // @pulumi/eks hands it to aws.eks.Cluster, whose `enabled_cluster_log_types` is a schema.TypeSet
    // (hashicorp/terraform-provider-aws internal/service/eks/cluster.go).
    "eks:index:Cluster": ["enabledClusterLogTypes"],
};

/** True when the order of the list at `path` (a diff path, `inputs.…` or `options.…`) of a resource of `type` has no meaning. */
export function unordered(type: string, path: string): boolean {
    // The engine waits for every resource named in dependsOn, in no order.
    if (path === "options.dependsOn") {
        return true;
    }
    return (unorderedPaths[type] ?? []).some((p) => path === `inputs.${p}`);
}
