import type * as k8s from "@pulumi/kubernetes/types/input";
import { metadataOf } from "./pods";
import { itemsOf, type Shape, textOf } from "./shapes";
import type { ResourceRule, ReviewedResource } from "./types";

// Read against the AWS Load Balancer Controller the cluster installs (chart 1.17.0, controller
// v2.17.0): pkg/ingress/model_build_listener.go (listen ports, certificates, the SSL redirect),
// pkg/ingress/model_build_load_balancer.go (scheme), pkg/ingress/enhanced_backend_builder.go and
// config_types.go (`conditions.<name>` and `actions.<name>` annotations).

const ingressType = "kubernetes:networking.k8s.io/v1:Ingress";
const prefix = "alb.ingress.kubernetes.io/";

type IngressSpec = Shape<k8s.networking.v1.IngressSpec>;

function annotationsOf(resource: ReviewedResource): Record<string, string> {
    const annotations = metadataOf(resource).annotations;
    return typeof annotations === "object" && annotations !== null ? (annotations as Record<string, string>) : {};
}

function specOf(resource: ReviewedResource): IngressSpec {
    return (resource.props.spec ?? {}) as IngressSpec;
}

/** True for an Ingress the AWS Load Balancer Controller serves (class `alb`). */
function isAlb(resource: ReviewedResource): boolean {
    return textOf(specOf(resource).ingressClassName) === "alb" || annotationsOf(resource)["kubernetes.io/ingress.class"] === "alb";
}

/** The ALB's listeners as the controller builds them: `listen-ports`, else HTTPS 443 with a certificate and HTTP 80 without. */
export function listenProtocols(annotations: Record<string, string>): string[] | undefined {
    const raw = annotations[`${prefix}listen-ports`];
    if (raw === undefined) {
        return [textOf(annotations[`${prefix}certificate-arn`]) ? "HTTPS" : "HTTP"];
    }
    try {
        const entries = JSON.parse(raw) as unknown;
        // An empty list is refused by the controller as well.
        return Array.isArray(entries) && entries.length > 0 ? entries.flatMap((entry) => Object.keys(entry ?? {})) : undefined;
    } catch {
        return undefined;
    }
}

/** Host names the controller discovers certificates for when no ARN is given: rule hosts and TLS hosts. */
function discoverableHosts(spec: IngressSpec): string[] {
    return [...itemsOf(spec.rules).map((rule) => textOf(rule?.host)), ...itemsOf(spec.tls).flatMap((tls) => itemsOf(tls?.hosts).map(textOf))].filter((host) => host !== "");
}

/** Why an Ingress serves plain HTTP, or nothing when it serves HTTPS only (HTTP redirected). */
export function plainHttpProblems(resource: ReviewedResource): string[] {
    const spec = specOf(resource);
    if (!isAlb(resource)) {
        return itemsOf(spec.tls).length > 0 ? [] : ["spec.tls is empty: the Ingress serves plain HTTP"];
    }
    const annotations = annotationsOf(resource);
    const protocols = listenProtocols(annotations);
    if (protocols === undefined) {
        return [`${prefix}listen-ports is not a JSON list of {"HTTP": port} or {"HTTPS": port}: the controller refuses it`];
    }
    const problems: string[] = [];
    if (!protocols.includes("HTTPS")) {
        problems.push(`the ALB listens on ${protocols.join(", ")} only: set ${prefix}certificate-arn and an HTTPS listener in listen-ports`);
    } else if (!textOf(annotations[`${prefix}certificate-arn`]) && discoverableHosts(spec).length === 0) {
        problems.push(`the HTTPS listener has no certificate: set ${prefix}certificate-arn (or a host the controller can find a certificate for)`);
    }
    if (protocols.includes("HTTPS") && protocols.includes("HTTP") && !textOf(annotations[`${prefix}ssl-redirect`])) {
        problems.push(`the HTTP listener forwards requests in plain text: set ${prefix}ssl-redirect to the HTTPS port`);
    }
    return problems;
}

export const k8sIngressTls: ResourceRule = {
    kind: "resource",
    name: "k8s-ingress-tls",
    description: "Production Ingresses serve HTTPS only: an HTTPS listener with a certificate, and HTTP redirected to it.",
    enforcement: { dev: "disabled", production: "mandatory" },
    resourceTypes: [ingressType],
    check: plainHttpProblems,
};

/** One way in: an Ingress path's backend, named as the controller keys its annotations. */
interface Route {
    /** The backend's service name: `conditions.<name>` and `actions.<name>` are keyed by it. */
    readonly name: string;
    readonly path: string;
    /** True when the backend is an annotation-defined action (port `use-annotation`) rather than a Service. */
    readonly action: boolean;
}

function routesOf(spec: IngressSpec): Route[] {
    return itemsOf(spec.rules).flatMap((rule) =>
        itemsOf(rule?.http?.paths).map((path) => ({
            name: textOf(path?.backend?.service?.name),
            path: `${textOf(rule?.host) || "*"}${textOf(path?.path) || "/"}`,
            action: textOf(path?.backend?.service?.port?.name) === "use-annotation",
        })),
    );
}

/** True when a route sends its requests on to pods: a Service backend, or a forward action (not a fixed response or redirect). */
function reachesPods(route: Route, annotations: Record<string, string>): boolean {
    if (!route.action) {
        return true;
    }
    try {
        const action = JSON.parse(annotations[`${prefix}actions.${route.name}`] ?? "{}") as { type?: string };
        return action.type !== "fixed-response" && action.type !== "redirect";
    } catch {
        return true;
    }
}

interface Condition {
    field?: string;
    sourceIPConfig?: { values?: string[] };
}

/** The source CIDRs a route's conditions admit; undefined when no source-ip condition limits it. */
function admittedSources(conditions: readonly Condition[]): string[] | undefined {
    const bySource = conditions.filter((condition) => condition?.field === "source-ip");
    return bySource.length === 0 ? undefined : bySource.flatMap((condition) => itemsOf(condition.sourceIPConfig?.values));
}

/** CIDRs that admit the whole internet. */
const isEverywhere = (cidr: string) => /\/0$/.test(cidr.trim());

/**
 * Why a conditioned route of an internet-facing ALB is open to the internet. A route with a
 * `conditions.<name>` annotation that reaches pods serves only some requests (a preview, a
 * canary): request headers, query strings and cookies are the client's to choose, so only a
 * source-ip condition keeps it private. A route answering with a fixed response or a redirect
 * reaches no pod.
 */
export function publicConditionedRoutes(resource: ReviewedResource): string[] {
    const annotations = annotationsOf(resource);
    // The controller's default scheme is internal (its --default-load-balancer-scheme flag).
    if (!isAlb(resource) || annotations[`${prefix}scheme`] !== "internet-facing") {
        return [];
    }
    return routesOf(specOf(resource)).flatMap((route) => {
        const key = `${prefix}conditions.${route.name}`;
        const raw = annotations[key];
        if (raw === undefined || !reachesPods(route, annotations)) {
            return [];
        }
        let conditions: readonly Condition[];
        try {
            conditions = itemsOf(JSON.parse(raw) as Condition[]);
        } catch {
            return [`${key} is not a JSON list of conditions: the controller refuses it`];
        }
        const sources = admittedSources(conditions);
        if (sources === undefined) {
            return [`route ${route.path} to ${route.name} is open to the internet: its conditions (${key}) match what any client can send; add a source-ip condition, or move it to an internal ALB`];
        }
        const open = sources.filter(isEverywhere);
        return open.length > 0 || sources.length === 0 ? [`route ${route.path} to ${route.name} admits ${open.join(", ") || "no listed source"}: list the CIDRs that may reach it`] : [];
    });
}

export const k8sNoPublicPreview: ResourceRule = {
    kind: "resource",
    name: "k8s-no-public-preview",
    description:
        "On a production internet-facing ALB, a route that serves only some requests (a preview of the idle color) admits only listed source CIDRs; a header anyone can send does not make it private.",
    enforcement: { dev: "disabled", production: "mandatory" },
    resourceTypes: [ingressType],
    check: publicConditionedRoutes,
};

export const ingressRules: readonly ResourceRule[] = [k8sIngressTls, k8sNoPublicPreview];
