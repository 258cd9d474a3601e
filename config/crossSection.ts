import type { z } from "zod";
import { serviceRoleProblem } from "../components/database/roleNames";
import type { ClusterSettings } from "./sections/cluster";
import type { DatabaseSettings } from "./sections/database";
import type { EdgeSettings } from "./sections/edge";
import type { NetworkSettings } from "./sections/network";
import type { ServiceSettings } from "./sections/services";

interface CrossSectionInput {
    profile: string;
    network: NetworkSettings;
    cluster: ClusterSettings;
    edge: EdgeSettings;
    database: DatabaseSettings;
    services: ServiceSettings[];
    serviceSecrets: Record<string, Record<string, string>>;
}

/** Node group sizes must split evenly over the zones when each zone gets its own node group. */
function zonalSizeRules(settings: CrossSectionInput, ctx: z.RefinementCtx): void {
    if (!settings.cluster.nodeGroupPerZone) {
        return;
    }
    const zones = settings.network.availabilityZones;
    settings.cluster.nodeGroups.forEach((group, i) => {
        for (const size of ["minSize", "desiredSize", "maxSize"] as const) {
            if (group[size] % zones !== 0) {
                ctx.addIssue({
                    code: "custom",
                    path: ["cluster", "nodeGroups", i, size],
                    input: group[size],
                    message: `does not split evenly over ${zones} zones (cluster.nodeGroupPerZone); use a multiple of ${zones}`,
                });
            }
        }
    });
}

/**
 * Rules that span sections: a service's secrets must have values, its shutdown must outlast the
 * ALB's draining, every production Ingress serves HTTPS for a host, its name must be free to name
 * its namespace and database role, and zonal node groups split evenly.
 */
export function crossSectionRules(settings: CrossSectionInput, ctx: z.RefinementCtx): void {
    zonalSizeRules(settings, ctx);
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
        // Production is HTTPS only: an ALB's own DNS name can carry no ACM certificate, so every Ingress needs a host and one.
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
