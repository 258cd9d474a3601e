import type { z } from "zod";
import { instanceArchitecture, platformArchitecture } from "./architecture";
import type { ClusterSettings } from "./sections/cluster";
import type { EdgeSettings } from "./sections/edge";
import type { ImagesConfig } from "./sections/images";
import type { ServiceSettings } from "./sections/services";

interface CrossSectionInput {
    profile: string;
    cluster: ClusterSettings;
    images: ImagesConfig;
    edge: EdgeSettings;
    services: ServiceSettings[];
    serviceSecrets: Record<string, Record<string, string>>;
}

/** Every node runs the images: each group's instance types share one architecture, the one images are built for. */
function architectureRules(settings: CrossSectionInput, ctx: z.RefinementCtx): void {
    const wanted = platformArchitecture(settings.images.platform);
    settings.cluster.nodeGroups.forEach((group, i) => {
        group.instanceTypes.forEach((type, j) => {
            const architecture = instanceArchitecture(type);
            if (architecture !== wanted) {
                ctx.addIssue({
                    code: "custom",
                    path: ["cluster", "nodeGroups", i, "instanceTypes", j],
                    input: type,
                    message: `is an ${architecture} instance type, but images are built for ${settings.images.platform} (images.platform); pods would not start on it`,
                });
            }
        });
    });
}

/**
 * Rules that span sections: a service's secrets must have values, its shutdown must outlast the
 * ALB's draining, every production Ingress serves HTTPS, and nodes run the images' architecture.
 */
export function crossSectionRules(settings: CrossSectionInput, ctx: z.RefinementCtx): void {
    architectureRules(settings, ctx);
    settings.services.forEach((service, i) => {
        const values = settings.serviceSecrets[service.name] ?? {};
        service.secrets.forEach((secret, j) => {
            if (!(secret in values)) {
                ctx.addIssue({
                    code: "custom",
                    path: ["services", i, "secrets", j],
                    input: secret,
                    message: `has no value; set it with pulumi config set --secret --path 'serviceSecrets.${service.name}.${secret}' <value>`,
                });
            }
        });
        if (service.shutdown.terminationGracePeriodSeconds < settings.edge.deregistrationDelaySeconds) {
            ctx.addIssue({
                code: "custom",
                path: ["services", i, "shutdown", "terminationGracePeriodSeconds"],
                input: service.shutdown.terminationGracePeriodSeconds,
                message: `is shorter than edge.deregistrationDelaySeconds ${settings.edge.deregistrationDelaySeconds}: the ALB would still send requests to killed pods`,
            });
        }
        // Production is HTTPS only (policy k8s-ingress-tls): an ALB's own DNS name can carry no ACM certificate, so every Ingress needs a host and one.
        if (settings.profile === "production" && service.ingress.enabled) {
            for (const key of ["host", "certificateArn"] as const) {
                if (!service.ingress[key]) {
                    ctx.addIssue({
                        code: "custom",
                        path: ["services", i, "ingress", key],
                        input: undefined,
                        message:
                            key === "host"
                                ? "is missing; production serves HTTPS only, on a host name its certificate covers"
                                : "is missing; production serves HTTPS only: name the ACM certificate (this account, this region) for the host",
                    });
                }
            }
        }
    });
}
