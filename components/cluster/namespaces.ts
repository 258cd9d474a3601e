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

/**
 * The AWS Load Balancer Controller's webhook gives pods in a namespace with this label a readiness
 * gate per target group they back, true only once the ALB finds the target healthy
 * (docs/deploy/pod_readiness_gate.md, controller v3.5.0): a rollout never outruns the ALB.
 */
export const readinessGateLabels: Record<string, string> = { "elbv2.k8s.aws/pod-readiness-gate-inject": "enabled" };

/** One namespace per workload, carrying the stack's Pod Security level and the ALB readiness gate label. */
export function createNamespaces(
    names: readonly string[],
    mode: ClusterSettings["podSecurity"],
    provider: k8s.Provider,
    parent: pulumi.Resource,
): Record<string, k8s.core.v1.Namespace> {
    return Object.fromEntries(
        names.map((name) => [
            name,
            new k8s.core.v1.Namespace(name, { metadata: { name, labels: { ...podSecurityLabels(mode), ...readinessGateLabels } } }, { parent, provider }),
        ]),
    );
}
