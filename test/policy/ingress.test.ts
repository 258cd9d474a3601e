import { strict as assert } from "assert";
import type * as k8s from "@pulumi/kubernetes/types/input";
import fc from "fast-check";
import { k8sIngressTls, k8sNoPublicPreview, listenProtocols } from "../../policy/rules/ingress";
import { assertCaught, assertClean, findings, resource } from "./fixtures";

const certificate = "arn:aws:acm:eu-west-1:123456789012:certificate/0f6d6c2e-1111-2222-3333-444455556666";

function ingress(annotations: Record<string, string>, options: { host?: string; backend?: string; className?: string } = {}) {
    return resource<k8s.networking.v1.Ingress>("kubernetes:networking.k8s.io/v1:Ingress", "api", {
        metadata: { name: "api", namespace: "api", annotations },
        spec: {
            ingressClassName: options.className ?? "alb",
            rules: [{ host: options.host, http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: options.backend ?? "api", port: { name: "http" } } } }] } }],
        },
    });
}

const listeners = fc.subarray(["HTTP", "HTTPS"] as const);

describe("policy: production Ingresses serve HTTPS only", () => {
    it("passes exactly the ALBs with an HTTPS listener holding a certificate and HTTP, if any, redirected", () => {
        fc.assert(
            fc.property(listeners, fc.boolean(), fc.boolean(), (protocols, withCertificate, redirect) => {
                const annotations: Record<string, string> = {
                    "alb.ingress.kubernetes.io/listen-ports": JSON.stringify(protocols.map((p) => ({ [p]: p === "HTTP" ? 80 : 443 }))),
                    ...(withCertificate ? { "alb.ingress.kubernetes.io/certificate-arn": certificate } : {}),
                    ...(redirect ? { "alb.ingress.kubernetes.io/ssl-redirect": "443" } : {}),
                };
                const secure = protocols.includes("HTTPS") && withCertificate && (!protocols.includes("HTTP") || redirect);
                assert.equal(findings(k8sIngressTls, ingress(annotations)).length === 0, secure, JSON.stringify(annotations));
            }),
        );
    });

    it("reads the listeners the controller builds when listen-ports is absent: HTTPS with a certificate, else HTTP", () => {
        assert.deepEqual(listenProtocols({}), ["HTTP"]);
        assert.deepEqual(listenProtocols({ "alb.ingress.kubernetes.io/certificate-arn": certificate }), ["HTTPS"]);
        assertClean(findings(k8sIngressTls, ingress({ "alb.ingress.kubernetes.io/certificate-arn": certificate })));
        assertCaught(findings(k8sIngressTls, ingress({})), /listens on HTTP only/);
        assertCaught(findings(k8sIngressTls, ingress({ "alb.ingress.kubernetes.io/listen-ports": "80" })), /not a JSON list/);
    });

    it("takes a host the controller discovers a certificate for in place of an ARN", () => {
        const https = { "alb.ingress.kubernetes.io/listen-ports": JSON.stringify([{ HTTPS: 443 }]) };
        assertClean(findings(k8sIngressTls, ingress(https, { host: "api.example.com" })));
        assertCaught(findings(k8sIngressTls, ingress(https)), /HTTPS listener has no certificate/);
    });

    it("holds an Ingress of another class to spec.tls", () => {
        assertCaught(findings(k8sIngressTls, ingress({}, { className: "nginx" })), /spec.tls is empty/);
    });

    it("is enforced in production only", () => {
        assert.deepEqual(k8sIngressTls.enforcement, { dev: "disabled", production: "mandatory" });
    });
});

describe("policy: no public preview route in production", () => {
    const previewKey = "alb.ingress.kubernetes.io/conditions.api-preview";
    const preview = (conditions: unknown[], scheme = "internet-facing") =>
        ingress({ "alb.ingress.kubernetes.io/scheme": scheme, [previewKey]: JSON.stringify(conditions) }, { backend: "api-preview" });
    const header = fc.record({ field: fc.constantFrom("http-header", "query-string", "http-request-method"), httpHeaderConfig: fc.record({ httpHeaderName: fc.constant("X-Preview"), values: fc.array(fc.string(), { minLength: 1, maxLength: 3 }) }) });
    const privateCidr = fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 32 })).map(([octet, prefix]) => `10.${octet}.0.0/${prefix}`);

    it("refuses a conditioned route any client can satisfy, whatever request conditions it lists", () => {
        fc.assert(fc.property(fc.array(header, { minLength: 1, maxLength: 3 }), (conditions) => assertCaught(findings(k8sNoPublicPreview, preview(conditions)), /open to the internet/)));
    });

    it("passes a conditioned route limited to listed source CIDRs, and refuses one that lists 0.0.0.0/0", () => {
        fc.assert(
            fc.property(fc.array(header, { maxLength: 2 }), fc.array(privateCidr, { minLength: 1, maxLength: 4 }), (conditions, cidrs) => {
                assertClean(findings(k8sNoPublicPreview, preview([...conditions, { field: "source-ip", sourceIPConfig: { values: cidrs } }])));
                assertCaught(findings(k8sNoPublicPreview, preview([...conditions, { field: "source-ip", sourceIPConfig: { values: [...cidrs, "0.0.0.0/0"] } }])), /admits 0.0.0.0\/0/);
            }),
        );
    });

    it("leaves alone a conditioned route that answers itself: a fixed response or a redirect reaches no pod", () => {
        fc.assert(
            fc.property(fc.constantFrom("fixed-response", "redirect", "forward"), fc.array(header, { minLength: 1, maxLength: 2 }), (type, conditions) => {
                const route = ingress(
                    {
                        "alb.ingress.kubernetes.io/scheme": "internet-facing",
                        "alb.ingress.kubernetes.io/actions.preview-denied": JSON.stringify({ type }),
                        "alb.ingress.kubernetes.io/conditions.preview-denied": JSON.stringify(conditions),
                    },
                    { backend: "preview-denied" },
                );
                (route.props.spec as { rules: { http: { paths: { backend: { service: { port: object } } }[] } }[] }).rules[0].http.paths[0].backend.service.port = { name: "use-annotation" };
                assert.equal(findings(k8sNoPublicPreview, route).length > 0, type === "forward");
            }),
        );
    });

    it("leaves internal ALBs and unconditioned routes alone", () => {
        assertClean(findings(k8sNoPublicPreview, preview([{ field: "http-header", httpHeaderConfig: { httpHeaderName: "X", values: ["1"] } }], "internal")));
        assertClean(findings(k8sNoPublicPreview, ingress({ "alb.ingress.kubernetes.io/scheme": "internet-facing" })));
    });
});
