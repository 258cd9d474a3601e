import { type Container, containersOf, isAddOn, type PodSpec, podSpecOf, servingTypes, workloadTypes } from "./pods";
import { itemsOf, textOf } from "./shapes";
import type { Enforcement, PerProfile, Profile, ResourceRule } from "./types";

interface WorkloadRuleSpec {
    name: string;
    description: string;
    enforcement: PerProfile<Enforcement>;
    resourceTypes: readonly string[];
    /** The violations of one pod spec. */
    checkPod: (pod: PodSpec, profile: Profile) => string[];
}

/** A rule over the pod spec of every workload the platform authors (add-ons are left to their charts). */
function workloadRule(spec: WorkloadRuleSpec): ResourceRule {
    return {
        kind: "resource",
        name: spec.name,
        description: spec.description,
        enforcement: spec.enforcement,
        resourceTypes: spec.resourceTypes,
        check: (resource, profile) => {
            const pod = podSpecOf(resource);
            return pod && !isAddOn(resource) ? spec.checkPod(pod, profile) : [];
        },
    };
}

const probeFields = ["startupProbe", "readinessProbe", "livenessProbe"] as const;

/** `GET :8080/health/live`, or undefined for a probe that does not make an HTTP request. */
function httpEndpoint(probe: Container["livenessProbe"]): string | undefined {
    const get = probe?.httpGet;
    return get ? `GET :${get.port ?? "?"}${textOf(get.path) || "/"}` : undefined;
}

export const k8sProbes: ResourceRule = workloadRule({
    name: "k8s-probes",
    description: "Every serving container has startup, readiness and liveness probes, with liveness and readiness on separate endpoints.",
    enforcement: { dev: "mandatory", production: "mandatory" },
    resourceTypes: servingTypes,
    checkPod: (pod) =>
        containersOf(pod)
            .filter(({ init }) => !init)
            .flatMap(({ container, label }) => {
                const missing = probeFields.filter((field) => !container[field]);
                const problems = missing.length > 0 ? [`${label} has no ${missing.join(", ")}: Kubernetes cannot tell when it has started, can serve, or hangs`] : [];
                const live = httpEndpoint(container.livenessProbe);
                if (live !== undefined && live === httpEndpoint(container.readinessProbe)) {
                    problems.push(`${label} probes liveness and readiness on ${live}: a dependency outage would restart every pod instead of taking them out of rotation`);
                }
                return problems;
            }),
});

const resourceFields = [
    ["requests", "cpu"],
    ["requests", "memory"],
    ["limits", "cpu"],
    ["limits", "memory"],
] as const;

export const k8sResources: ResourceRule = workloadRule({
    name: "k8s-resources",
    description: "Every container requests and limits CPU and memory, so the scheduler places it and a leak cannot starve its neighbours.",
    enforcement: { dev: "mandatory", production: "mandatory" },
    resourceTypes: workloadTypes,
    checkPod: (pod) =>
        containersOf(pod).flatMap(({ container, label }) => {
            const missing = resourceFields.filter(([kind, name]) => container.resources?.[kind]?.[name] === undefined).map(([kind, name]) => `${kind}.${name}`);
            return missing.length > 0 ? [`${label} has no resources.${missing.join(", resources.")}`] : [];
        }),
});

/** Capabilities the restricted Pod Security Standard lets a container add back. */
const addableCapabilities = new Set(["NET_BIND_SERVICE"]);
const allowedSeccomp = new Set(["RuntimeDefault", "Localhost"]);

/** What keeps one container from the restricted Pod Security Standard (plus a read-only root). */
function unrestricted(container: Container, pod: PodSpec): string[] {
    const own = container.securityContext ?? {};
    const shared = pod.securityContext ?? {};
    const gaps: string[] = [];
    if ((own.runAsNonRoot ?? shared.runAsNonRoot) !== true) {
        gaps.push("runAsNonRoot is not true");
    }
    if ((own.runAsUser ?? shared.runAsUser) === 0) {
        gaps.push("runAsUser is 0 (root)");
    }
    if (own.privileged === true) {
        gaps.push("privileged is true");
    }
    if (own.allowPrivilegeEscalation !== false) {
        gaps.push("allowPrivilegeEscalation is not false");
    }
    if (!itemsOf(own.capabilities?.drop).includes("ALL")) {
        gaps.push("capabilities.drop does not include ALL");
    }
    const added = itemsOf(own.capabilities?.add).filter((capability) => !addableCapabilities.has(capability));
    if (added.length > 0) {
        gaps.push(`capabilities.add has ${added.join(", ")}`);
    }
    if (!allowedSeccomp.has(textOf((own.seccompProfile ?? shared.seccompProfile)?.type))) {
        gaps.push("seccompProfile.type is not RuntimeDefault");
    }
    if (own.readOnlyRootFilesystem !== true) {
        gaps.push("readOnlyRootFilesystem is not true");
    }
    return gaps;
}

export const k8sRestrictedSecurityContext: ResourceRule = workloadRule({
    name: "k8s-restricted-security-context",
    description:
        "Pods meet the restricted Pod Security Standard (non-root, no privilege escalation, all capabilities dropped, RuntimeDefault seccomp) with a read-only root filesystem.",
    enforcement: { dev: "advisory", production: "mandatory" },
    resourceTypes: workloadTypes,
    checkPod: (pod) => {
        const hostAccess = (["hostNetwork", "hostPID", "hostIPC"] as const).filter((field) => pod[field] === true);
        return [
            ...(hostAccess.length > 0 ? [`the pod shares the node's ${hostAccess.join(", ")}`] : []),
            ...containersOf(pod).flatMap(({ container, label }) => {
                const gaps = unrestricted(container, pod);
                return gaps.length > 0 ? [`${label} is not restricted: ${gaps.join(", ")}`] : [];
            }),
        ];
    },
});

/** An image reference split into the parts the image rules read. */
export interface ImageReference {
    /** Repository, with registry and path: `123.dkr.ecr.eu-west-1.amazonaws.com/api`. */
    repository: string;
    tag?: string;
    digest?: string;
}

/** Splits `registry:5000/path/name:tag@sha256:...`; a colon before the last slash belongs to the registry. */
export function parseImage(reference: string): ImageReference {
    const [withoutDigest, digest] = reference.split("@", 2);
    const slash = withoutDigest.lastIndexOf("/");
    const colon = withoutDigest.lastIndexOf(":");
    const hasTag = colon > slash;
    return {
        repository: hasTag ? withoutDigest.slice(0, colon) : withoutDigest,
        ...(hasTag ? { tag: withoutDigest.slice(colon + 1) } : {}),
        ...(digest !== undefined ? { digest } : {}),
    };
}

const sha256Digest = /^sha256:[0-9a-f]{64}$/;

export const k8sImageByDigest: ResourceRule = workloadRule({
    name: "k8s-image-by-digest",
    description: "Containers run their image by digest, so what runs is exactly what was built and scanned.",
    enforcement: { dev: "advisory", production: "mandatory" },
    resourceTypes: workloadTypes,
    checkPod: (pod) =>
        containersOf(pod).flatMap(({ container, label }) => {
            const image = textOf(container.image);
            return sha256Digest.test(parseImage(image).digest ?? "")
                ? []
                : [`${label} runs ${image || "no image"} without a digest: the tag can be moved to other content; run image@sha256:<digest>`];
        }),
});

export const k8sNoLatestTag: ResourceRule = workloadRule({
    name: "k8s-no-latest-tag",
    description: "No container runs the moving `latest` tag (or no tag at all, which means latest).",
    enforcement: { dev: "mandatory", production: "mandatory" },
    resourceTypes: workloadTypes,
    checkPod: (pod) =>
        containersOf(pod).flatMap(({ container, label }) => {
            const image = parseImage(textOf(container.image));
            if (image.digest !== undefined || (image.tag !== undefined && image.tag !== "latest")) {
                return [];
            }
            return [`${label} runs ${textOf(container.image) || "no image"}, which means latest: each node may pull a different image`];
        }),
});

export const workloadRules: readonly ResourceRule[] = [k8sProbes, k8sResources, k8sRestrictedSecurityContext, k8sImageByDigest, k8sNoLatestTag];
