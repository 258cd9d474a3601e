import type { ServiceSettings } from "../../config/sections/services";

// How many listener rules a service's Ingress makes; the config checks read it (no Kubernetes or Pulumi here).

/**
 * ALB limits: one source-ip condition per rule, at most 3 values per condition and 5 match
 * evaluations per rule (annotations.md, "conditions", limitations), counting the rule's host, its
 * path patterns (one for `/`, two for another prefix: pkg/ingress/model_build_listener_rules.go)
 * and the preview header.
 */
export function sourceCidrsPerRule(settings: ServiceSettings): number {
    const host = settings.ingress.host ? 1 : 0;
    const paths = settings.ingress.path === "/" ? 1 : 2;
    return Math.min(3, 5 - host - paths - 1);
}

/** The source CIDRs in batches a rule can hold each. */
export function sourceCidrBatches(settings: ServiceSettings): string[][] {
    const size = sourceCidrsPerRule(settings);
    const cidrs = settings.blueGreen.preview.sourceCidrs;
    return Array.from({ length: Math.ceil(cidrs.length / size) }, (_, i) => cidrs.slice(i * size, (i + 1) * size));
}

/**
 * The ALB's default quota of rules per load balancer, default rules not counted (Elastic Load
 * Balancing User Guide, load-balancer-limits.html, "Rules per Application Load Balancer").
 */
export const albRulesQuota = 100;

/**
 * The rules the controller makes on the service's ALB (its own group): one per Ingress path
 * (pkg/ingress/model_build_listener_rules.go), all on one listener: HTTP, or HTTPS when HTTP only
 * redirects (`buildListenerRules` makes none for it). Blue/green: the preview batches, the
 * preview-denied rule and the live rule.
 */
export function listenerRuleCount(settings: ServiceSettings): number {
    return settings.strategy === "rolling" ? 1 : sourceCidrBatches(settings).length + 2;
}

/** The most preview CIDRs the service's ALB can hold within {@link albRulesQuota}. */
export function maxPreviewCidrs(settings: ServiceSettings): number {
    return (albRulesQuota - 2) * sourceCidrsPerRule(settings);
}
