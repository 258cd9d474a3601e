import { jobName } from "../components/database/roleBootstrap";
import { albGroupName } from "../components/naming";
import { databaseSecretName } from "../components/service/databaseAccess";
import { albAnnotations, healthCheckAnnotations, rollingIngressSpec, weightedRouting } from "../components/service/ingress";
import { podSelector, serviceLabels, trackLabels, tracksOf } from "../components/service/labels";
import { appSecretName, configMapName, ingressName, trackName } from "../components/service/names";
import { serviceAccountSpec } from "../components/service/serviceAccount";
import {
    annotationsProblems,
    dns1035LabelProblems,
    dns1123LabelProblems,
    dns1123SubdomainProblems,
    labelValueProblems,
    qualifiedNameProblems,
} from "./kubernetesNames";
import type { ServiceSettings } from "./sections/services";

/** A Kubernetes object a service builds, as far as its name, labels and annotations go. */
export interface NamedObject {
    readonly kind: string;
    readonly name: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
    /** An Ingress's backends: Service names, or the names of annotation-defined actions. */
    readonly backends?: readonly string[];
}

/**
 * How the API server checks each kind's name (kubernetes/kubernetes pkg/apis/core/validation:
 * ValidateNamespaceName is NameIsDNSLabel, ValidateServiceName NameIsDNS1035Label; every other
 * kind the platform builds, apps, autoscaling, policy and networking included, NameIsDNSSubdomain).
 */
export function objectNameProblems(kind: string, name: string): string[] {
    switch (kind) {
        case "Namespace":
            return dns1123LabelProblems(name);
        case "Service":
            return dns1035LabelProblems(name);
        default:
            return dns1123SubdomainProblems(name);
    }
}

/** The AWS Load Balancer Controller's rule for `group.name` (v3.5.0 pkg/ingress/group_loader.go, validateGroupName). */
export function albGroupProblems(group: string): string[] {
    return [
        ...(group.length > 63 ? [`is ${group.length} characters, more than 63`] : []),
        ...(/^([a-z0-9][-a-z0-9.]*)?[a-z0-9]$/.test(group) ? [] : ["is not lowercase letters, digits, '-' and '.' starting and ending with a letter or digit"]),
    ];
}

/** Everything the API server and the load balancer controller check of one object: why each part is refused. */
export function namedObjectProblems(object: NamedObject): string[] {
    const labels = Object.entries(object.labels ?? {}).flatMap(([key, value]) => [
        ...qualifiedNameProblems(key).map((p) => `label key ${key} ${p}`),
        ...labelValueProblems(value).map((p) => `label ${key}=${value} ${p}`),
    ]);
    const group = object.annotations?.["alb.ingress.kubernetes.io/group.name"];
    // Backends are validated as Service names (kubernetes/kubernetes pkg/apis/networking/validation: validateIngressBackend).
    const backends = (object.backends ?? []).flatMap((backend) => dns1035LabelProblems(backend).map((p) => `Ingress backend ${backend} ${p}`));
    return [
        ...objectNameProblems(object.kind, object.name).map((p) => `${object.kind} name ${object.name} ${p}`),
        ...backends,
        ...labels,
        ...annotationsProblems(object.annotations ?? {}),
        ...(group === undefined ? [] : albGroupProblems(group).map((p) => `ALB group ${group} ${p}`)),
    ];
}

/** The backends of an Ingress spec's paths. */
function backendsOf(spec: { rules?: unknown }): string[] {
    const rules = (spec.rules ?? []) as { http?: { paths?: { backend?: { service?: { name?: unknown } } }[] } }[];
    return rules.flatMap((rule) => (rule.http?.paths ?? []).map((path) => String(path.backend?.service?.name ?? "")));
}

/**
 * The objects a service of these settings builds, named by the Service component's own naming
 * functions (components/service/names.ts), labels and annotations from its builders. Content
 * digests are all zero: every digest has the same length. Values only known at deploy time (ARNs,
 * digests of images) name nothing.
 */
export function serviceObjects(service: ServiceSettings, stack: { project: string; stack: string }): NamedObject[] {
    const name = service.name;
    const labels = serviceLabels(name);
    const routing = service.strategy === "rolling" ? { annotations: {}, spec: rollingIngressSpec(service) } : weightedRouting(service, service.release.active);
    const perTrack = tracksOf(service).flatMap((track) => {
        const own = trackLabels(name, track);
        return [
            { kind: "Deployment", name: trackName(name, track), labels: { ...own, ...podSelector(name, track) } },
            { kind: "HorizontalPodAutoscaler", name: trackName(name, track), labels: own },
            { kind: "PodDisruptionBudget", name: trackName(name, track), labels: own },
            { kind: "Service", name: trackName(name, track), labels: own, annotations: healthCheckAnnotations(service) },
            ...(service.database.enabled ? [{ kind: "Secret", name: databaseSecretName(name, track, {}), labels }] : []),
        ];
    });
    // The API server labels a Job's pods with its name (kubernetes/kubernetes pkg/registry/batch/job/strategy.go, generateSelector).
    const roles = jobName(name, [], "");
    const roleJob = { kind: "Job", name: roles, labels: { "platform.io/service": name, "job-name": roles, "batch.kubernetes.io/job-name": roles } };
    return [
        { kind: "Namespace", name },
        ...(service.database.enabled ? [roleJob, { kind: "Secret", name: roles }] : []),
        { kind: "NetworkPolicy", name: "default-deny", labels },
        { kind: "NetworkPolicy", name, labels },
        { kind: "ServiceAccount", name, labels, annotations: serviceAccountSpec(service).annotations },
        { kind: "ConfigMap", name: configMapName(name, {}), labels },
        ...(service.secrets.length > 0 ? [{ kind: "Secret", name: appSecretName(name, {}), labels }] : []),
        ...perTrack,
        ...(service.ingress.enabled
            ? [{ kind: "Ingress", name: ingressName(name), labels, annotations: { ...albAnnotations(service, albGroupName(stack, name)), ...routing.annotations }, backends: backendsOf(routing.spec) }]
            : []),
    ];
}

const problemsOf = (service: ServiceSettings, stack: { project: string; stack: string }) => [...new Set(serviceObjects(service, stack).flatMap(namedObjectProblems))];

/** The longest service name whose every derived name is accepted, given the rest of the service's settings. */
export function longestServiceName(service: ServiceSettings, stack: { project: string; stack: string }): number {
    let longest = 0;
    for (let length = 1; length <= 63; length++) {
        if (problemsOf({ ...service, name: "a".repeat(length) }, stack).length === 0) {
            longest = length;
        }
    }
    return longest;
}

/**
 * The problems of every name a service derives (the objects the Service component builds, its
 * ALB group and annotation keys), each naming `services[i].name` and how long a name may be.
 */
export function derivedNameProblems(services: readonly ServiceSettings[], stack: { project: string; stack: string }): string[] {
    return services.flatMap((service, i) => {
        const problems = problemsOf(service, stack);
        if (problems.length === 0) {
            return [];
        }
        const longest = longestServiceName(service, stack);
        const fits = service.name.length > longest ? `; at most ${longest} characters fit in stack ${stack.stack}` : "";
        // components/naming.ts reports the ALB group in its own words (namingProblems).
        return problems
            .filter((problem) => !problem.startsWith("ALB group "))
            .map((problem) => `services[${i}].name: ${JSON.stringify(service.name)} derives what the API server or the load balancer controller refuses: ${problem}${fits}`);
    });
}
