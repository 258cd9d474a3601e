import { jobName } from "../components/database/roleBootstrap";
import { databaseSecretName } from "../components/service/databaseAccess";
import { albAnnotations, previewAnnotations } from "../components/service/ingress";
import { podSelector, serviceLabels, trackName, tracksOf } from "../components/service/labels";
import { albGroupName } from "../components/naming";
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

/** The AWS Load Balancer Controller's rule for `group.name` (v2.17.0 pkg/ingress/group_loader.go, validateGroupName). */
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
    return [
        ...objectNameProblems(object.kind, object.name).map((p) => `${object.kind} name ${object.name} ${p}`),
        ...labels,
        ...annotationsProblems(object.annotations ?? {}),
        ...(group === undefined ? [] : albGroupProblems(group).map((p) => `ALB group ${group} ${p}`)),
    ];
}

/**
 * The objects a service of these settings builds, named as the Service component names them,
 * labels and annotation keys from the same builders. Values only known at deploy time (ARNs,
 * digests) are left out: they name nothing.
 */
export function serviceObjects(service: ServiceSettings, stack: { project: string; stack: string }): NamedObject[] {
    const labels = serviceLabels(service.name);
    const tracks = tracksOf(service);
    const alb = albAnnotations(service, albGroupName(stack, service.name));
    const previewName = `${service.name}-preview`;
    const blueGreen = service.strategy === "blueGreen";
    const perTrack = tracks.flatMap((track) => {
        const name = trackName(service.name, track);
        const podLabels = { ...labels, ...podSelector(service.name, track) };
        return [
            { kind: "Deployment", name, labels: podLabels },
            { kind: "HorizontalPodAutoscaler", name, labels },
            { kind: "PodDisruptionBudget", name, labels },
            ...(service.database.enabled ? [{ kind: "Secret", name: databaseSecretName(service.name, track, {}), labels }] : []),
        ];
    });
    // The API server labels a Job's pods with its name (kubernetes/kubernetes pkg/registry/batch/job/strategy.go, generateSelector).
    const roles = jobName(service.name, []);
    const roleJob = { kind: "Job", name: roles, labels: { "platform.io/service": service.name, "job-name": roles, "batch.kubernetes.io/job-name": roles } };
    return [
        { kind: "Namespace", name: service.name },
        ...(service.database.enabled ? [roleJob, { kind: "Secret", name: roles }] : []),
        { kind: "NetworkPolicy", name: "default-deny", labels },
        { kind: "NetworkPolicy", name: service.name, labels },
        { kind: "ServiceAccount", name: service.name, labels },
        { kind: "ConfigMap", name: `${service.name}-config`, labels },
        { kind: "Secret", name: `${service.name}-secrets`, labels },
        ...perTrack,
        { kind: "Service", name: service.name, labels },
        ...(service.ingress.enabled ? [{ kind: "Ingress", name: service.name, labels, annotations: alb }] : []),
        ...(blueGreen ? [{ kind: "Service", name: previewName, labels }] : []),
        ...(blueGreen && service.ingress.enabled ? [{ kind: "Ingress", name: previewName, labels, annotations: { ...alb, ...previewAnnotations(previewName) } }] : []),
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
