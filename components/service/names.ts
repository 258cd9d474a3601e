import { createHash } from "crypto";
import type { Color } from "../../config/sections/services";

// Every Kubernetes name and annotation key a service derives, in one place, so that the
// components and the config validation compute the same strings (names ≤ 63 characters as DNS
// labels, annotation key names ≤ 63 after the prefix). The ALB group name is `albGroupName` in
// components/naming.ts; the controller names target groups itself, `k8s-<ns8>-<svc8>-<hash10>`
// (pkg/ingress/model_build_target_group.go), always within the 32 characters ELB allows.

/** Which Deployments a service runs: one for rolling, one per color for blue/green. */
export type Track = Color | "rolling";

/** The annotation prefix of the AWS Load Balancer Controller. */
export const albAnnotationPrefix = "alb.ingress.kubernetes.io";

/** The name of a track's Deployment, HPA, PDB and Service: `<service>` (rolling) or `<service>-<color>`. */
export function trackName(service: string, track: Track): string {
    return track === "rolling" ? service : `${service}-${track}`;
}

/** The service's one Ingress (both colors' target groups and the preview rule live in it). */
export function ingressName(service: string): string {
    return service;
}

/** The annotation-defined action the live rule runs: forward to both colors by weight. */
export const liveActionName = "live";
/** The action of the `i`-th preview rule (one per batch of source CIDRs). */
export function previewActionName(index: number): string {
    return `preview-${index}`;
}
/** The action answering a preview header from an address not allowed to use it. */
export const previewDeniedActionName = "preview-denied";

/** `alb.ingress.kubernetes.io/actions.<name>`: the action a backend named `<name>` on port `use-annotation` runs. */
export function actionAnnotationKey(action: string): string {
    return `${albAnnotationPrefix}/actions.${action}`;
}

/** `alb.ingress.kubernetes.io/conditions.<name>`: the extra conditions of the rule whose backend is `<name>`. */
export function conditionsAnnotationKey(action: string): string {
    return `${albAnnotationPrefix}/conditions.${action}`;
}

/** A short digest of content, for objects named by what they hold. */
export function contentHash(content: unknown): string {
    return createHash("sha256").update(JSON.stringify(content)).digest("hex").slice(0, 10);
}

/** An immutable ConfigMap named by its data: `<service>-config-<hash>`. */
export function configMapName(service: string, data: Record<string, string>): string {
    return `${service}-config-${contentHash(Object.entries(data).sort())}`;
}

/** An immutable Secret of the service's own secrets, named by its names and values: `<service>-secrets-<hash>`. */
export function appSecretName(service: string, values: Record<string, string>): string {
    return `${service}-secrets-${contentHash(Object.entries(values).sort())}`;
}

/** Every Kubernetes object name a service of this name may derive, for length checks before anything is registered. */
export function derivedObjectNames(service: string): string[] {
    const hash = "0".repeat(10);
    return [
        trackName(service, "rolling"),
        trackName(service, "blue"),
        trackName(service, "green"),
        ingressName(service),
        `${service}-config-${hash}`,
        `${service}-secrets-${hash}`,
        // One database Secret per track, named by components/service/databaseAccess.ts `databaseSecretName`.
        ...(["rolling", "blue", "green"] as const).map((track) => `${service}-database-${track}-${hash}`),
    ];
}

/** Every annotation key a service's Ingress may carry beyond the fixed ones, given how many preview rules it has. */
export function derivedAnnotationKeys(previewRules: number): string[] {
    const actions = [liveActionName, previewDeniedActionName, ...Array.from({ length: previewRules }, (_, i) => previewActionName(i))];
    return actions.flatMap((action) => [actionAnnotationKey(action), conditionsAnnotationKey(action)]);
}
