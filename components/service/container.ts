import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { maxIdleTimeoutSeconds } from "../../config/sections/edge";
import type { ServiceSettings } from "../../config/sections/services";
import { servicePortName } from "./networkPolicy";

/** Where the database connection and the service's own secrets are mounted, one file per value. */
export const databaseSecretDir = "/var/run/secrets/platform/database";
export const appSecretDir = "/var/run/secrets/platform/app";
export const databaseSecretKeys = ["host", "port", "name", "username", "password"] as const;

/** The ConfigMap's database settings: verify the server against the mounted CA bundle. */
export function databaseConfig(): Record<string, string> {
    return { DATABASE_SSL: "verify-full", DATABASE_SSL_CA_FILE: `${databaseSecretDir}/ca.pem` };
}

/**
 * How much longer than the ALB's idle timeout a pod keeps an idle connection open: the load
 * balancer must be the one to close it, or it sends a request on a connection the target has just
 * closed and answers 502 (ELB User Guide, application-load-balancers.html#connection-idle-timeout).
 */
const keepAliveMarginSeconds = 5;

/**
 * The keep-alive timeout every pod uses, in milliseconds: longer than the longest idle timeout an
 * ALB takes, so it holds for any `edge.idleTimeoutSeconds`. Derived from the ALB's value instead, a
 * change of it would roll every pod, the live color's included, and the ALB would take the new
 * timeout (the Ingress goes first) while the old pods still closed connections sooner.
 */
export const keepAliveTimeoutMs = (maxIdleTimeoutSeconds + keepAliveMarginSeconds) * 1000;

/** The ConfigMap's data: the service's env, its port, its keep-alive timeout, and verified TLS to the database. */
export function configData(settings: ServiceSettings, withDatabase: boolean): Record<string, string> {
    return {
        ...settings.env,
        PORT: String(settings.port),
        HTTP_KEEP_ALIVE_TIMEOUT_MS: String(keepAliveTimeoutMs),
        ...(withDatabase ? databaseConfig() : {}),
    };
}

type Container = k8s.types.input.core.v1.Container;

/** `<KEY>_FILE` variables pointing at the mounted secret files: the values never sit in the pod spec. */
export function secretFileEnv(settings: ServiceSettings, withDatabase: boolean): { name: string; value: string }[] {
    const database = withDatabase ? databaseSecretKeys.map((key) => ({ name: `DATABASE_${key === "username" ? "USER" : key.toUpperCase()}_FILE`, value: `${databaseSecretDir}/${key}` })) : [];
    const own = settings.secrets.map((name) => ({ name: `${name}_FILE`, value: `${appSecretDir}/${name}` }));
    return [...database, ...own];
}

/** Startup, readiness and liveness probes, each on its own endpoint. */
export function probes(settings: ServiceSettings): Pick<Container, "startupProbe" | "readinessProbe" | "livenessProbe"> {
    const p = settings.probes;
    const get = (path: string) => ({ path, port: "http" });
    return {
        startupProbe: { httpGet: get(p.startupPath), periodSeconds: 5, timeoutSeconds: p.timeoutSeconds, failureThreshold: Math.ceil(p.startupSeconds / 5) },
        readinessProbe: { httpGet: get(p.readinessPath), periodSeconds: p.periodSeconds, timeoutSeconds: p.timeoutSeconds, failureThreshold: p.failureThreshold },
        livenessProbe: { httpGet: get(p.livenessPath), periodSeconds: p.periodSeconds, timeoutSeconds: p.timeoutSeconds, failureThreshold: p.failureThreshold },
    };
}

/** The restricted container security context: non-root, read-only root, nothing to escalate with. */
export const containerSecurityContext: k8s.types.input.core.v1.SecurityContext = {
    runAsNonRoot: true,
    runAsUser: 10001,
    runAsGroup: 10001,
    readOnlyRootFilesystem: true,
    allowPrivilegeEscalation: false,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
};

/** The service's container: image by digest, config from the ConfigMap, secrets as files, probes, limits, a preStop pause. */
export function container(settings: ServiceSettings, image: pulumi.Input<string>, configMap: pulumi.Input<string>, withDatabase: boolean): Container {
    const { requests, limits } = settings.resources;
    const mounts = [
        { name: "tmp", mountPath: "/tmp" },
        ...(withDatabase ? [{ name: "database", mountPath: databaseSecretDir, readOnly: true }] : []),
        ...(settings.secrets.length > 0 ? [{ name: "secrets", mountPath: appSecretDir, readOnly: true }] : []),
    ];
    return {
        name: settings.name,
        image,
        imagePullPolicy: "IfNotPresent",
        ports: [{ name: servicePortName, containerPort: settings.port, protocol: "TCP" }],
        envFrom: [{ configMapRef: { name: configMap } }],
        env: secretFileEnv(settings, withDatabase),
        resources: {
            requests: { cpu: requests.cpu, memory: requests.memory, "ephemeral-storage": requests.ephemeralStorage },
            limits: { cpu: limits.cpu, memory: limits.memory, "ephemeral-storage": limits.ephemeralStorage },
        },
        ...probes(settings),
        // The ALB keeps sending requests for a few seconds after the pod starts terminating.
        // The kubelet's own sleep action, so the image needs no shell or sleep binary: GA and locked on
        // since Kubernetes 1.34 (PodLifecycleSleepAction, kubernetes/kubernetes pkg/features/kube_features.go).
        lifecycle: settings.shutdown.preStopSeconds > 0 ? { preStop: { sleep: { seconds: settings.shutdown.preStopSeconds } } } : undefined,
        securityContext: containerSecurityContext,
        volumeMounts: mounts,
    };
}
