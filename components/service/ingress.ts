import type * as k8s from "@pulumi/kubernetes";
import type { Color, ServiceSettings } from "../../config/sections/services";
import { trafficWeights } from "./colors";
import { otherColor } from "./labels";
import { sourceCidrBatches } from "./listenerRules";
import { actionAnnotationKey, albAnnotationPrefix, conditionsAnnotationKey, liveActionName, previewActionName, previewDeniedActionName, trackName } from "./names";

// The AWS Load Balancer Controller (chart 3.5.0 = controller v3.5.0) reads these annotations;
// their syntax is docs/guide/ingress/annotations.md and the JSON shapes pkg/ingress/config_types.go.

/** The header that sends a request to the idle color of a blue/green service, for smoke tests. */
export const previewHeader = "X-Platform-Preview";

/**
 * The port name of a backend whose action comes from `actions.<backend name>`
 * (pkg/ingress/enhanced_backend_builder.go). Pulumi's Ingress await looks for Endpoints named after
 * each backend; for an action it finds none, reports it in the status line once the endpoints have
 * settled and goes on to wait for the ALB's address (provider/pkg/await/ingress.go, `checkIfEndpointsReady`).
 */
export const useAnnotation = "use-annotation";

/** The ALB's own settings: IP targets, the group, listeners; HTTPS with HTTP redirected when there is a certificate. */
export function albAnnotations(settings: ServiceSettings, group: string): Record<string, string> {
    const tls = settings.ingress.certificateArn;
    return {
        [`${albAnnotationPrefix}/scheme`]: "internet-facing",
        [`${albAnnotationPrefix}/target-type`]: "ip",
        [`${albAnnotationPrefix}/group.name`]: group,
        [`${albAnnotationPrefix}/listen-ports`]: JSON.stringify(tls ? [{ HTTP: 80 }, { HTTPS: 443 }] : [{ HTTP: 80 }]),
        // With ssl-redirect the HTTP listener only redirects; every rule below lives on 443 (pkg/ingress/model_build_listener_rules.go).
        ...(tls
            ? {
                  [`${albAnnotationPrefix}/certificate-arn`]: tls,
                  [`${albAnnotationPrefix}/ssl-redirect`]: "443",
                  [`${albAnnotationPrefix}/ssl-policy`]: "ELBSecurityPolicy-TLS13-1-2-2021-06",
              }
            : {}),
    };
}

/**
 * A track's target group health check, set on its Service: the controller lays a Service's
 * annotations over the Ingress's (pkg/ingress/model_build_target_group.go, `MergeStringMap(svc, ing)`),
 * so each color is checked on its own readiness path.
 */
export function healthCheckAnnotations(settings: ServiceSettings): Record<string, string> {
    return { [`${albAnnotationPrefix}/healthcheck-path`]: settings.probes.readinessPath, [`${albAnnotationPrefix}/success-codes`]: "200" };
}

type IngressPath = k8s.types.input.networking.v1.HTTPIngressPath;

/** A path of the service's rule sending to `backend` on `port` (a Service port, or `use-annotation` for an action). */
function pathTo(settings: ServiceSettings, backend: string, port: string): IngressPath {
    return { path: settings.ingress.path, pathType: "Prefix", backend: { service: { name: backend, port: { name: port } } } };
}

function ingressSpec(settings: ServiceSettings, paths: IngressPath[]): k8s.types.input.networking.v1.IngressSpec {
    return { ingressClassName: "alb", rules: [{ host: settings.ingress.host, http: { paths } }] };
}

/** A rolling service: its host and path to its one Service. */
export function rollingIngressSpec(settings: ServiceSettings): k8s.types.input.networking.v1.IngressSpec {
    return ingressSpec(settings, [pathTo(settings, trackName(settings.name, "rolling"), "http")]);
}

/**
 * The controller's forward action over both colors' target groups (advanced schema; a weight on
 * each, as it requires for several). It builds a target group and a TargetGroupBinding for every
 * Service named, whatever its weight (`buildForwardAction` in pkg/ingress/model_build_actions.go),
 * so the idle color's pods stay registered and health-checked at weight 0: their readiness gates
 * work, and a cutover registers nothing.
 */
export function forwardByWeight(service: string, weights: Record<Color, number>): object {
    const targetGroups = (["blue", "green"] as const).map((color) => ({ serviceName: trackName(service, color), servicePort: "http", weight: weights[color] }));
    return { type: "forward", forwardConfig: { targetGroups } };
}

/** The routing of a blue/green service: annotations and spec of its one Ingress. */
export interface WeightedRouting {
    readonly annotations: Record<string, string>;
    readonly spec: k8s.types.input.networking.v1.IngressSpec;
}

/**
 * One Ingress, rules evaluated in this order (paths of one rule keep their order for equal length:
 * `sortIngressPaths` in pkg/ingress/model_build_listener_rules.go):
 * 1. preview: the header from an allowed source address forwards to the idle color (weights inverted);
 * 2. preview-denied: the header from anywhere else gets 403, so a smoke test never silently hits the live color;
 * 3. live: every other request forwards 100 to the live color and 0 to the idle one.
 * Both colors' target groups are in every forward action, so both always exist with their own
 * pods registered and health-checked; a promotion rewrites the weights and nothing else.
 */
export function weightedRouting(settings: ServiceSettings, live: Color): WeightedRouting {
    const weights = trafficWeights(live);
    const inverted = trafficWeights(otherColor(live));
    const header = { field: "http-header", httpHeaderConfig: { httpHeaderName: previewHeader, values: ["true"] } };
    const annotations: Record<string, string> = {};
    const paths: IngressPath[] = [];
    sourceCidrBatches(settings).forEach((cidrs, i) => {
        const name = previewActionName(i);
        annotations[actionAnnotationKey(name)] = JSON.stringify(forwardByWeight(settings.name, inverted));
        annotations[conditionsAnnotationKey(name)] = JSON.stringify([header, { field: "source-ip", sourceIPConfig: { values: cidrs } }]);
        paths.push(pathTo(settings, name, useAnnotation));
    });
    annotations[actionAnnotationKey(previewDeniedActionName)] = JSON.stringify({
        type: "fixed-response",
        fixedResponseConfig: { contentType: "text/plain", statusCode: "403", messageBody: "The preview route does not admit this address." },
    });
    annotations[conditionsAnnotationKey(previewDeniedActionName)] = JSON.stringify([header]);
    paths.push(pathTo(settings, previewDeniedActionName, useAnnotation));
    annotations[actionAnnotationKey(liveActionName)] = JSON.stringify(forwardByWeight(settings.name, weights));
    paths.push(pathTo(settings, liveActionName, useAnnotation));
    return { annotations, spec: ingressSpec(settings, paths) };
}
