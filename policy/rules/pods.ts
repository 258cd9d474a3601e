import type * as k8s from "@pulumi/kubernetes/types/input";
import { itemsOf, type Shape, textOf } from "./shapes";
import type { ReviewedResource } from "./types";

export type PodSpec = Shape<k8s.core.v1.PodSpec>;
export type Container = Shape<k8s.core.v1.Container>;
type ObjectMeta = Shape<k8s.meta.v1.ObjectMeta>;

/** Where each kind that runs pods keeps its pod spec. */
const podSpecPaths: Readonly<Record<string, readonly string[]>> = {
    "kubernetes:apps/v1:Deployment": ["spec", "template", "spec"],
    "kubernetes:apps/v1:StatefulSet": ["spec", "template", "spec"],
    "kubernetes:apps/v1:DaemonSet": ["spec", "template", "spec"],
    "kubernetes:apps/v1:ReplicaSet": ["spec", "template", "spec"],
    "kubernetes:batch/v1:Job": ["spec", "template", "spec"],
    "kubernetes:batch/v1:CronJob": ["spec", "jobTemplate", "spec", "template", "spec"],
    "kubernetes:core/v1:Pod": ["spec"],
};

/** Every Kubernetes type that runs pods. */
export const workloadTypes: readonly string[] = Object.keys(podSpecPaths);

/** Workloads that serve for as long as they run (and so need probes and a disruption budget). */
export const servingTypes: readonly string[] = ["kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:StatefulSet"];

/**
 * Namespaces whose workloads the platform does not author: cluster add-ons from AWS and upstream
 * charts (metrics-server, the load balancer controller, the autoscaler) install there.
 */
export const addOnNamespaces: readonly string[] = ["kube-system"];

function at(value: unknown, path: readonly string[]): unknown {
    let current = value;
    for (const key of path) {
        if (typeof current !== "object" || current === null) {
            return undefined;
        }
        current = (current as Record<string, unknown>)[key];
    }
    return current;
}

export function metadataOf(resource: ReviewedResource): ObjectMeta {
    return (resource.props.metadata ?? {}) as ObjectMeta;
}

/** The object's namespace; objects without one land in `default`. */
export function namespaceOf(resource: ReviewedResource): string {
    return textOf(metadataOf(resource).namespace) || "default";
}

/** True for an add-on's workload, which the workload rules leave to its maintainers. */
export function isAddOn(resource: ReviewedResource): boolean {
    return addOnNamespaces.includes(namespaceOf(resource));
}

/** The pod spec of a workload, or undefined for other types. */
export function podSpecOf(resource: ReviewedResource): PodSpec | undefined {
    const path = podSpecPaths[resource.type];
    const spec = path ? at(resource.props, path) : undefined;
    return typeof spec === "object" && spec !== null ? (spec as PodSpec) : undefined;
}

/** The labels of the pods a workload creates. */
export function podLabelsOf(resource: ReviewedResource): Record<string, string> {
    const path = podSpecPaths[resource.type];
    const labels = path ? at(resource.props, [...path.slice(0, -1), "metadata", "labels"]) : undefined;
    return typeof labels === "object" && labels !== null ? (labels as Record<string, string>) : {};
}

/** One container of a pod, with how messages name it. */
export interface NamedContainer {
    readonly container: Container;
    /** `container api` or `init container migrate`. */
    readonly label: string;
    readonly init: boolean;
}

/** The pod's containers: init containers first, then the ones that serve. */
export function containersOf(pod: PodSpec): NamedContainer[] {
    const named = (container: Container, init: boolean): NamedContainer => ({
        container,
        init,
        label: `${init ? "init container" : "container"} ${textOf(container?.name) || "(unnamed)"}`,
    });
    return [
        ...itemsOf(pod.initContainers).map((container) => named(container, true)),
        ...itemsOf(pod.containers).map((container) => named(container, false)),
    ];
}
