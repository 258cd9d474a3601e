import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { ClusterSettings } from "../../config/sections/cluster";

/**
 * Pod Security Admission labels: `restricted` is always audited and warned about; with `enforce`
 * the API server also rejects pods that break it.
 */
export function podSecurityLabels(mode: ClusterSettings["podSecurity"]): Record<string, string> {
    const labels: Record<string, string> = {
        "pod-security.kubernetes.io/warn": "restricted",
        "pod-security.kubernetes.io/audit": "restricted",
    };
    if (mode === "enforce") {
        labels["pod-security.kubernetes.io/enforce"] = "restricted";
    }
    return labels;
}

/** One namespace per workload, carrying the stack's Pod Security level. */
export function createNamespaces(
    names: readonly string[],
    mode: ClusterSettings["podSecurity"],
    provider: k8s.Provider,
    parent: pulumi.Resource,
): Record<string, k8s.core.v1.Namespace> {
    return Object.fromEntries(
        names.map((name) => [
            name,
            new k8s.core.v1.Namespace(name, { metadata: { name, labels: podSecurityLabels(mode) } }, { parent, provider }),
        ]),
    );
}
