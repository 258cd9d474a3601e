import { z } from "zod";
import type { PerProfile, Profile } from "../profile";
import { acmCertificateArn, countOrPercent, dnsLabel, iamRoleArn, ipv4Cidr, noDuplicates, pinnedImage } from "../rules";
import { memoryQuantity, quantity, quantityValue } from "./quantity";
import { nameProblems, podConfigValueProblems, releasedVersionProblems, rolloutProblems, trafficProblems } from "./serviceChecks";

/** The two colors of a blue/green service. */
export const colors = ["blue", "green"] as const;
export type Color = (typeof colors)[number];
export const strategies = ["rolling", "blueGreen"] as const;
export type Strategy = (typeof strategies)[number];

const path = z.string().regex(/^\/[\w\-./~%]*$/, { error: "is not an absolute URL path (it must start with /)" });
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: "is not an environment variable name" });
/** What a release names: an image tag as a registry accepts it, or a `sha256:` digest (`ImageSource.refFor` takes both); never the moving tag `latest`. */
export const imageVersion = z
    .string()
    .regex(/^(\w[\w.-]{0,127}|sha256:[0-9a-f]{64})$/, { error: "is not an image tag (letters, digits, '_', '.', '-'; at most 128) or a sha256: digest" })
    .refine((version) => version !== "latest", { error: "is the moving tag latest, which names a different image after every push; name a fixed tag or a sha256: digest" });

const resources = z.strictObject({
    cpu: quantity.meta({ description: "CPU, e.g. `250m` or `1`." }),
    memory: memoryQuantity.meta({ description: "Memory, e.g. `256Mi`." }),
    ephemeralStorage: memoryQuantity.meta({ description: "Local scratch space (/tmp), e.g. `256Mi`." }),
});

/** What a color's pods are made of, besides the image: a blue/green release pins it per color (`release.colors.<color>.config`). */
export const podConfigShape = {
    env: z.record(envName, z.string()).meta({ description: "Plain environment variables (never secrets). Default none." }),
    secrets: z.array(envName).superRefine(noDuplicates()).meta({ description: "Names of the service's secrets; each value comes from `platform:serviceSecrets.<service>.<NAME>` (set with `--secret`) and is mounted as a file, `<NAME>_FILE` giving its path." }),
    resources: z
        .strictObject({
            requests: resources.meta({ description: "What the scheduler reserves for each pod; the HPA's percentages are of these." }),
            limits: resources.meta({ description: "The most each pod may use: above the memory limit it is killed, above the CPU limit throttled." }),
        })
        .meta({ description: "Requests (what the scheduler reserves) and limits per container. Default requests 250m / 256Mi / 256Mi, limits 1 / 512Mi / 1Gi." }),
    probes: z
        .strictObject({
            startupPath: path.meta({ description: "Ready once initialised. Default `/health/startup`." }),
            livenessPath: path.meta({ description: "The process responds; never checks dependencies. Default `/health/live`." }),
            readinessPath: path.meta({ description: "Can serve now (database reachable, not draining); also the ALB health check. Default `/health/ready`." }),
            periodSeconds: z.int().min(1).max(300).meta({ description: "Seconds between probes. Default 10." }),
            timeoutSeconds: z.int().min(1).max(60).meta({ description: "Seconds a probe may take. Default 2." }),
            failureThreshold: z.int().min(1).max(20).meta({ description: "Failed liveness or readiness probes in a row before acting. Default 3." }),
            startupSeconds: z.int().min(10).max(3600).meta({ description: "How long the container may take to start. Default 300." }),
        })
        .meta({ description: "Probe endpoints and timings." }),
    shutdown: z
        .strictObject({
            preStopSeconds: z.int().min(0).max(120).meta({ description: "Pause before SIGTERM so the ALB stops sending new requests first. Default 15." }),
            terminationGracePeriodSeconds: z.int().min(1).max(600).meta({ description: "Time from termination to SIGKILL; covers the pause and the drain. Default 60." }),
        })
        .meta({ description: "Graceful shutdown." }),
};

const passwordVersion = z
    .int()
    .min(1)
    .max(1_000_000)
    .meta({ description: "Change it (e.g. add one) to rotate the service's database passwords: each track gets a new login and password, its pods roll onto them while the previous login keeps working; in blue/green a release takes it to the idle color only. Default 1." });

type Issue = (path: PropertyKey[], input: unknown, message: string) => void;
type PodConfigInput = { [K in keyof typeof podConfigShape]: z.output<(typeof podConfigShape)[K]> };

/** What no pod config may say, wherever it stands (the service's own settings, or a color's pinned copy). */
function podConfigProblems(config: PodConfigInput, issue: Issue, at: PropertyKey[]): void {
    for (const kind of ["cpu", "memory", "ephemeralStorage"] as const) {
        // Only valid quantities compare; an invalid one has its own error line already.
        const valueOf = (text: string) => (resources.shape[kind].safeParse(text).success ? quantityValue(text) : undefined);
        const request = valueOf(config.resources.requests[kind]);
        const limit = valueOf(config.resources.limits[kind]);
        if (request !== undefined && limit !== undefined && request > limit) {
            issue([...at, "resources", "requests", kind], config.resources.requests[kind], `is above the limit ${config.resources.limits[kind]}`);
        }
    }
    const probes = config.probes;
    if (probes.livenessPath === probes.readinessPath) {
        issue([...at, "probes", "livenessPath"], probes.livenessPath, "is also the readiness path; liveness must not depend on what readiness checks");
    }
    if (config.shutdown.terminationGracePeriodSeconds <= config.shutdown.preStopSeconds) {
        issue([...at, "shutdown", "terminationGracePeriodSeconds"], config.shutdown.terminationGracePeriodSeconds, `leaves no time to drain after the ${config.shutdown.preStopSeconds}s preStop pause`);
    }
    podConfigValueProblems(config, issue, at);
}

/** A color's pod config as a release pinned it: every field written out, so later edits of the service's settings never reach it. */
export const podConfigSchema = z.strictObject({
    ...podConfigShape,
    database: z.strictObject({ passwordVersion }).meta({ description: "The version of the color's own database login." }),
});
export type PodConfig = z.output<typeof podConfigSchema>;

/** What one color runs, written by `npm run release`. */
export const colorReleaseSchema = z.strictObject({
    number: z.int().min(1).meta({ description: "The release's place in the service's history, counted up by each release; `promote` goes only to a higher number than the live color's." }),
    version: imageVersion.meta({ description: "The image tag or `sha256:` digest the color runs." }),
    config: podConfigSchema.meta({ description: "The env, secrets' names, resources, probes, shutdown and database login version the color runs with." }),
    rolledBack: z.literal(true).optional().meta({ description: "Set by `npm run rollback` on the color it left: `promote` refuses it until a new release replaces it." }),
});
export type ColorRelease = z.output<typeof colorReleaseSchema>;

interface ReleaseInput {
    release: { active: Color; previous?: Color; colors: Partial<Record<Color, ColorRelease>> };
}

/** The release history must be one a sequence of releases, promotions and rollbacks can leave behind. */
function releaseProblems(service: ReleaseInput, issue: Issue): void {
    const { active, previous, colors: pinned } = service.release;
    if (previous !== undefined && previous === active) {
        issue(["release", "previous"], previous, "is the live color itself; it names the color that was live before the last promotion");
    }
    if (previous !== undefined && pinned[previous] === undefined) {
        issue(["release", "previous"], previous, `has no entry under release.colors to roll back to`);
    }
    for (const color of colors) {
        const entry = pinned[color];
        if (entry) {
            podConfigProblems(entry.config, issue, ["release", "colors", color, "config"]);
        }
    }
    const [blue, green] = [pinned.blue?.number, pinned.green?.number];
    if (blue !== undefined && blue === green) {
        issue(["release", "colors", "green", "number"], green, "is blue's number too; each release has its own");
    }
}

/** Every setting of one service, defaults applied (see `serviceDefaults`). */
export const serviceSchema = z
    .strictObject({
        name: dnsLabel.meta({ description: "Service name: its namespace, Kubernetes objects, ECR repository and image are named after it." }),
        source: z.string().min(1).optional().meta({ description: "Folder holding the service's Dockerfile, relative to the project; built on `pulumi up`." }),
        image: pinnedImage.optional().meta({ description: "A prebuilt image to run instead of building one, pinned by tag or digest (never `latest`)." }),
        port: z.int().min(1).max(65535).meta({ description: "Port the container listens on. Default 8080." }),
        ...podConfigShape,
        replicas: z
            .int()
            .min(1)
            .max(1000)
            .optional()
            .meta({ description: "Pods per color when `autoscaling.enabled` is false; an error while it is true (the HPA owns the count). Default `autoscaling.minReplicas`." }),
        autoscaling: z
            .strictObject({
                enabled: z.boolean().meta({ description: "Scale on CPU and memory with an HPA. Default true." }),
                minReplicas: z.int().min(1).max(1000).meta({ description: "Fewest pods per color. Dev 1, production 3." }),
                maxReplicas: z.int().min(1).max(1000).meta({ description: "Most pods per color. Dev 3, production 10." }),
                cpuPercent: z.int().min(1).max(100).meta({ description: "Target CPU use, percent of requests. Default 70." }),
                memoryPercent: z.int().min(1).max(100).meta({ description: "Target memory use, percent of requests. Default 80." }),
            })
            .meta({ description: "Horizontal pod autoscaling (autoscaling/v2)." }),
        strategy: z.enum(strategies).meta({ description: "`rolling` replaces pods in place; `blueGreen` runs two colors and switches traffic. Dev `rolling`, production `blueGreen`." }),
        acceptStrategySwitchOutage: z
            .enum(strategies)
            .optional()
            .meta({ description: "Lets `up` switch this deployed service to this strategy, accepting that it answers 503 from its ALB until the new pods pass their health checks (docs/services.md, \"Switching strategy\"); without it such a switch is refused. Default none." }),
        release: z
            .strictObject({
                version: imageVersion.optional().meta({ description: "Rolling: the image tag (or `sha256:` digest) to run. Absent: the image built from source in this update." }),
                active: z.enum(colors).meta({ description: "Blue/green: the live color, the one the ALB forwards all traffic to (weight 100; the other 0). Default `blue`." }),
                previous: z
                    .enum(colors)
                    .optional()
                    .meta({ description: "Blue/green: the color that was live before the last promotion, while it still runs what it ran then; `npm run rollback` returns to it. Absent: nothing to roll back to." }),
                colors: z
                    .record(z.string(), colorReleaseSchema)
                    .superRefine((pinned, ctx) => {
                        for (const key of Object.keys(pinned).filter((k) => !(colors as readonly string[]).includes(k))) {
                            ctx.addIssue({ code: "custom", path: [key], input: key, message: `is not one of ${colors.map((c) => JSON.stringify(c)).join(", ")}` });
                        }
                    })
                    .transform((pinned) => pinned as Partial<Record<Color, ColorRelease>>)
                    .meta({ description: "Blue/green: what each color runs, as `npm run release` pinned it: `{number, version, config}` (docs/services.md). A color without an entry runs the image built in this update with the service's own settings." }),
            })
            .meta({ description: "What runs where; `npm run release`, `promote` and `rollback` edit it." }),
        blueGreen: z
            .strictObject({
                idleCapacity: z
                    .enum(["ceiling", "floor"])
                    .meta({ description: "`ceiling`: every color keeps at least `autoscaling.maxReplicas` pods, so a promotion or rollback never lands on fewer pods than the live color may run. `floor`: the idle color sits at `autoscaling.minReplicas` and scales up after a cutover. Dev `floor`, production `ceiling`." }),
                preview: z
                    .strictObject({
                        sourceCidrs: z
                            .array(ipv4Cidr)
                            .superRefine(noDuplicates())
                            .meta({ description: "Client addresses whose requests carrying `X-Platform-Preview: true` reach the idle color; the header from anywhere else gets 403. Up to 3 CIDRs take one ALB rule (fewer under a host or a path prefix) and an ALB holds 100 rules: 294 CIDRs at most with neither. Dev `0.0.0.0/0`, production none (nobody from the internet)." }),
                    })
                    .meta({ description: "The private route to the idle color through the service's ALB, for smoke tests before a promotion." }),
            })
            .meta({ description: "Blue/green: how the idle color is sized and who may reach it." }),
        rollout: z
            .strictObject({
                maxSurge: countOrPercent.meta({ description: "Extra pods during a rollout. Default `25%`." }),
                maxUnavailable: countOrPercent.meta({ description: "Pods that may be missing during a rollout. Default 0." }),
                minReadySeconds: z.int().min(0).max(3600).meta({ description: "Seconds a new pod must stay ready before it counts. Default 10." }),
                progressDeadlineSeconds: z.int().min(30).max(3600).meta({ description: "A rollout making no progress this long fails `pulumi up`. Default 600." }),
            })
            .meta({ description: "How a Deployment replaces its pods: the one of a rolling service, or a color's on release." }),
        ingress: z
            .strictObject({
                enabled: z.boolean().meta({ description: "Expose the service through an internet-facing ALB; a blue/green service needs it (its Ingress carries the colors' weights). Default true." }),
                host: z.string().regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,}$/, { error: "is not a DNS host name" }).optional().meta({ description: "Host name routed to the service; absent: the ALB's own name." }),
                path: path.meta({ description: "Path prefix routed to the service. Default `/`." }),
                certificateArn: acmCertificateArn.optional().meta({ description: "ACM certificate for HTTPS; HTTP then redirects to HTTPS. Required in production when `host` is set." }),
            })
            .meta({ description: "The ALB in front of the service." }),
        serviceAccount: z
            .strictObject({
                iamRoleArn: iamRoleArn
                    .optional()
                    .meta({ description: "IAM role the pods assume through IRSA (the ServiceAccount's `eks.amazonaws.com/role-arn`); the pods may then reach AWS on 443 within the VPC (the STS endpoint). Default none." }),
                kubernetesApi: z
                    .boolean()
                    .meta({ description: "Mount the ServiceAccount's API token and admit 443 within the VPC, for a service that calls the Kubernetes API. Default false." }),
            })
            .meta({ description: "The service's own ServiceAccount: no Kubernetes API token unless asked for." }),
        database: z
            .strictObject({
                enabled: z
                    .boolean()
                    .meta({ description: "Give the service its own PostgreSQL role, schema and logins, and mount how to reach them (verify-full TLS against the region's RDS CA). Default true." }),
                passwordVersion,
            })
            .meta({ description: "The service's access to the stack's database." }),
        egress: z
            .array(
                z.strictObject({
                    cidr: ipv4Cidr.meta({ description: "Destination block." }),
                    port: z.int().min(1).max(65535).meta({ description: "Destination TCP port." }),
                }),
            )
            .superRefine(noDuplicates())
            .meta({ description: "Destinations the service may reach besides DNS and the database, e.g. `{cidr: 0.0.0.0/0, port: 443}`. Default none." }),
    })
    .superRefine((service, ctx) => {
        const issue = (path: PropertyKey[], input: unknown, message: string) => ctx.addIssue({ code: "custom", path, input, message });
        if ((service.source === undefined) === (service.image === undefined)) {
            issue(["source"], service.source, "needs exactly one of source or image");
        }
        if (service.autoscaling.enabled && service.replicas !== undefined) {
            issue(["replicas"], service.replicas, "is set while autoscaling.enabled is true; the HPA owns the pod count: set autoscaling.minReplicas and maxReplicas, or autoscaling.enabled false");
        }
        if (service.autoscaling.minReplicas > service.autoscaling.maxReplicas) {
            issue(["autoscaling", "minReplicas"], service.autoscaling.minReplicas, `is above autoscaling.maxReplicas ${service.autoscaling.maxReplicas}`);
        }
        podConfigProblems(service, issue, []);
        releaseProblems(service, issue);
        nameProblems(service, issue);
        rolloutProblems(service, issue);
        releasedVersionProblems(service, issue);
        trafficProblems(service, issue);
    });

export type ServiceSettings = z.output<typeof serviceSchema>;

/** The services of the stack. */
export const servicesSchema = z
    .array(serviceSchema)
    .superRefine((services, ctx) => {
        const seen = new Set<string>();
        services.forEach((service, i) => {
            if (seen.has(service.name)) {
                ctx.addIssue({ code: "custom", path: [i, "name"], input: service.name, message: "is the name of another service too" });
            }
            seen.add(service.name);
        });
    })
    .meta({ description: "The services deployed on the cluster; each entry takes the per-service defaults of the stack's profile field by field." });

export type ServiceConfig = ServiceSettings;

/** The services' secret values, by service and name; set each with `pulumi config set --secret`. */
export const serviceSecretsSchema = z
    .record(dnsLabel, z.record(envName, z.string()))
    .meta({ description: "Secret values of the services, `<service>.<NAME>`: set each with `pulumi config set --secret --path 'serviceSecrets.<service>.<NAME>' <value>`. Default none." });

export const servicesDefaults: PerProfile<z.input<typeof servicesSchema>> = { dev: [], production: [] };

type ServiceDefaults = Omit<z.input<typeof serviceSchema>, "name" | "source" | "image">;

const common: Omit<ServiceDefaults, "strategy" | "autoscaling" | "blueGreen"> = {
    port: 8080,
    env: {},
    secrets: [],
    resources: { requests: { cpu: "250m", memory: "256Mi", ephemeralStorage: "256Mi" }, limits: { cpu: "1", memory: "512Mi", ephemeralStorage: "1Gi" } },
    probes: { startupPath: "/health/startup", livenessPath: "/health/live", readinessPath: "/health/ready", periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3, startupSeconds: 300 },
    release: { active: "blue", colors: {} },
    rollout: { maxSurge: "25%", maxUnavailable: 0, minReadySeconds: 10, progressDeadlineSeconds: 600 },
    shutdown: { preStopSeconds: 15, terminationGracePeriodSeconds: 60 },
    ingress: { enabled: true, path: "/" },
    serviceAccount: { kubernetesApi: false },
    database: { enabled: true, passwordVersion: 1 },
    egress: [],
};

/** What each entry of `platform:services` starts from, per profile, before the stack file's fields are laid over it. */
export const serviceDefaults: PerProfile<ServiceDefaults> = {
    dev: {
        ...common,
        strategy: "rolling",
        autoscaling: { enabled: true, minReplicas: 1, maxReplicas: 3, cpuPercent: 70, memoryPercent: 80 },
        blueGreen: { idleCapacity: "floor", preview: { sourceCidrs: ["0.0.0.0/0"] } },
    },
    production: {
        ...common,
        strategy: "blueGreen",
        autoscaling: { enabled: true, minReplicas: 3, maxReplicas: 10, cpuPercent: 70, memoryPercent: 80 },
        blueGreen: { idleCapacity: "ceiling", preview: { sourceCidrs: [] } },
    },
};

/** The per-service defaults of a profile (for `parseConfig` and the docs). */
export function serviceDefaultsFor(profile: Profile): ServiceDefaults {
    return serviceDefaults[profile];
}
