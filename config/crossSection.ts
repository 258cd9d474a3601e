import type { z } from "zod";
import { serviceRoleProblem } from "../components/database/roleNames";
import type { DatabaseSettings } from "./sections/database";
import type { EdgeSettings } from "./sections/edge";
import type { ServiceSettings } from "./sections/services";

interface CrossSectionInput {
    profile: string;
    edge: EdgeSettings;
    database: DatabaseSettings;
    services: ServiceSettings[];
    serviceSecrets: Record<string, Record<string, string>>;
}

/**
 * Rules that span sections: a service's secrets must have values, its shutdown must outlast the
 * ALB's draining, a production host needs a certificate, and its name must be free to name its
 * namespace and database role.
 */
export function crossSectionRules(settings: CrossSectionInput, ctx: z.RefinementCtx): void {
    settings.services.forEach((service, i) => {
        const values = settings.serviceSecrets[service.name] ?? {};
        // A color pinned by a release runs its own copy of the pod config: the same rules hold for it.
        const sites = [
            { at: [] as PropertyKey[], config: service },
            ...Object.entries(service.release.colors).flatMap(([color, pinned]) => (pinned ? [{ at: ["release", "colors", color, "config"], config: pinned.config }] : [])),
        ];
        for (const { at, config } of sites) {
            config.secrets.forEach((secret, j) => {
                if (!(secret in values)) {
                    ctx.addIssue({
                        code: "custom",
                        path: ["services", i, ...at, "secrets", j],
                        input: secret,
                        message: `has no value; set it with pulumi config set --secret --path 'serviceSecrets.${service.name}.${secret}' <value>`,
                    });
                }
            });
            if (config.shutdown.terminationGracePeriodSeconds < settings.edge.deregistrationDelaySeconds) {
                ctx.addIssue({
                    code: "custom",
                    path: ["services", i, ...at, "shutdown", "terminationGracePeriodSeconds"],
                    input: config.shutdown.terminationGracePeriodSeconds,
                    message: `is shorter than edge.deregistrationDelaySeconds ${settings.edge.deregistrationDelaySeconds}: the ALB would still send requests to killed pods`,
                });
            }
        }
        const nameProblem = serviceRoleProblem(service.name, service.database.enabled, settings.database.username);
        if (nameProblem) {
            ctx.addIssue({ code: "custom", path: ["services", i, "name"], input: service.name, message: nameProblem });
        }
        if (settings.profile === "production" && service.ingress.enabled && service.ingress.host && !service.ingress.certificateArn) {
            ctx.addIssue({
                code: "custom",
                path: ["services", i, "ingress", "certificateArn"],
                input: undefined,
                message: "is missing; a production host needs an ACM certificate for HTTPS",
            });
        }
    });
}
