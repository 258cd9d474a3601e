import type { z } from "zod";
import { serviceRoleProblem } from "../components/database/roleNames";
import { instanceArchitecture, platformArchitecture } from "./architecture";
import type { Profile } from "./profile";
import type { ClusterSettings } from "./sections/cluster";
import type { DatabaseSettings } from "./sections/database";
import type { EdgeSettings } from "./sections/edge";
import type { ImagesConfig } from "./sections/images";
import type { NetworkSettings } from "./sections/network";
import type { ServiceSettings } from "./sections/services";

/** The sections a rule spanning several of them may read, each as its schema outputs it. */
export interface Sections {
    profile: Profile;
    network: NetworkSettings;
    cluster: ClusterSettings;
    database: DatabaseSettings;
    images: ImagesConfig;
    edge: EdgeSettings;
    services: ServiceSettings[];
    serviceSecrets: Record<string, Record<string, string>>;
}

/** A section (`services`) or one key of it (`database.multiAz`). */
export type SectionPath = keyof Sections | `${keyof Sections}.${string}`;

/**
 * A rule over several sections. It runs whenever what it `reads` is valid, so one bad value
 * elsewhere, even in the same section, does not hide its problems: every problem at once. It reads
 * nothing else: the settings it is handed hold only what it declares.
 */
export interface CrossRule {
    readonly reads: readonly SectionPath[];
    readonly check: (settings: Sections, ctx: z.RefinementCtx) => void;
}

/** Node group sizes must split evenly over the zones when each zone gets its own node group. */
function zonalSizeRule(settings: Sections, ctx: z.RefinementCtx): void {
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

/** Every node runs the images: each group's instance types share one architecture, the one images are built for. */
function architectureRule(settings: Sections, ctx: z.RefinementCtx): void {
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

/** Where a service's pod config stands: its own settings, and each color's copy as a release pinned it. */
function podConfigSites(service: ServiceSettings): { at: PropertyKey[]; config: Pick<ServiceSettings, "secrets" | "shutdown"> }[] {
    return [
        { at: [], config: service },
        ...Object.entries(service.release.colors).flatMap(([color, pinned]) => (pinned ? [{ at: ["release", "colors", color, "config"], config: pinned.config }] : [])),
    ];
}

/** A service's secrets must have values, wherever its pod config names them. */
function secretValuesRule(settings: Sections, ctx: z.RefinementCtx): void {
    settings.services.forEach((service, i) => {
        const values = settings.serviceSecrets[service.name] ?? {};
        for (const { at, config } of podConfigSites(service)) {
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
        }
    });
}

/** A service's name must be free to name its namespace and, when it uses the database, its role. */
function roleNameRule(settings: Sections, ctx: z.RefinementCtx): void {
    settings.services.forEach((service, i) => {
        const problem = serviceRoleProblem(service.name, service.database.enabled, settings.database.username);
        if (problem) {
            ctx.addIssue({ code: "custom", path: ["services", i, "name"], input: service.name, message: problem });
        }
    });
}

/** A pod's shutdown must outlast the ALB's draining, in every pod config of the service. */
function drainRule(settings: Sections, ctx: z.RefinementCtx): void {
    settings.services.forEach((service, i) => {
        for (const { at, config } of podConfigSites(service)) {
            if (config.shutdown.terminationGracePeriodSeconds < settings.edge.deregistrationDelaySeconds) {
                ctx.addIssue({
                    code: "custom",
                    path: ["services", i, ...at, "shutdown", "terminationGracePeriodSeconds"],
                    input: config.shutdown.terminationGracePeriodSeconds,
                    message: `is shorter than edge.deregistrationDelaySeconds ${settings.edge.deregistrationDelaySeconds}: the ALB would still send requests to killed pods`,
                });
            }
        }
    });
}

/** Production is HTTPS only (policy k8s-ingress-tls): an ALB's own DNS name can carry no ACM certificate, so every Ingress needs a host and one. */
function httpsRule(settings: Sections, ctx: z.RefinementCtx): void {
    if (settings.profile !== "production") {
        return;
    }
    settings.services.forEach((service, i) => {
        if (!service.ingress.enabled) {
            return;
        }
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
    });
}

/**
 * Rules that span sections: zonal node groups split evenly, nodes run the images' architecture, a service's secrets have values,
 * its name is free to name its namespace and database role, its shutdown outlasts the ALB's
 * draining, and every production Ingress serves HTTPS.
 */
export const crossSectionRules: readonly CrossRule[] = [
    { reads: ["network.availabilityZones", "cluster.nodeGroupPerZone", "cluster.nodeGroups"], check: zonalSizeRule },
    { reads: ["images.platform", "cluster.nodeGroups"], check: architectureRule },
    { reads: ["services", "serviceSecrets"], check: secretValuesRule },
    { reads: ["services", "database.username"], check: roleNameRule },
    { reads: ["services", "edge.deregistrationDelaySeconds"], check: drainRule },
    { reads: ["profile", "services"], check: httpsRule },
];
