import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { ServiceSettings } from "../../config/sections/services";

/** The header that sends a request to the idle color of a blue/green service, for smoke tests. */
export const previewHeader = "X-Platform-Preview";

/** The AWS Load Balancer Controller annotations of a service's ALB: IP targets, readiness health check, HTTPS when there is a certificate. */
export function albAnnotations(settings: ServiceSettings, group: string): Record<string, string> {
    const tls = settings.ingress.certificateArn;
    return {
        "alb.ingress.kubernetes.io/scheme": "internet-facing",
        "alb.ingress.kubernetes.io/target-type": "ip",
        "alb.ingress.kubernetes.io/group.name": group,
        "alb.ingress.kubernetes.io/healthcheck-path": settings.probes.readinessPath,
        "alb.ingress.kubernetes.io/success-codes": "200",
        "alb.ingress.kubernetes.io/listen-ports": JSON.stringify(tls ? [{ HTTP: 80 }, { HTTPS: 443 }] : [{ HTTP: 80 }]),
        ...(tls ? { "alb.ingress.kubernetes.io/certificate-arn": tls, "alb.ingress.kubernetes.io/ssl-redirect": "443", "alb.ingress.kubernetes.io/ssl-policy": "ELBSecurityPolicy-TLS13-1-2-2021-06" } : {}),
    };
}

/** A rule sending the service's host and path to a Kubernetes Service. */
export function ingressSpec(settings: ServiceSettings, backend: pulumi.Input<string>): k8s.types.input.networking.v1.IngressSpec {
    return {
        ingressClassName: "alb",
        rules: [
            {
                host: settings.ingress.host,
                http: { paths: [{ path: settings.ingress.path, pathType: "Prefix", backend: { service: { name: backend, port: { name: "http" } } } }] },
            },
        ],
    };
}

/** The preview rule matches only requests carrying the preview header, ahead of the live rule. */
export function previewAnnotations(previewService: string): Record<string, string> {
    return {
        "alb.ingress.kubernetes.io/group.order": "-1",
        [`alb.ingress.kubernetes.io/conditions.${previewService}`]: JSON.stringify([{ field: "http-header", httpHeaderConfig: { httpHeaderName: previewHeader, values: ["true"] } }]),
    };
}
