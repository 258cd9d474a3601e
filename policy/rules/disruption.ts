import type * as k8s from "@pulumi/kubernetes/types/input";
import { isAddOn, metadataOf, namespaceOf, podLabelsOf, servingTypes } from "./pods";
import { itemsOf, type Shape, textOf } from "./shapes";
import type { ReviewedResource, StackRule, Violation } from "./types";

const disruptionBudget = "kubernetes:policy/v1:PodDisruptionBudget";
const autoscaler = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler";

type LabelSelector = Shape<k8s.meta.v1.LabelSelector>;
type BudgetSpec = Shape<k8s.policy.v1.PodDisruptionBudgetSpec>;
type AutoscalerSpec = Shape<k8s.autoscaling.v2.HorizontalPodAutoscalerSpec>;

/** Whether a label selector selects a pod with these labels (Kubernetes semantics: an empty selector selects all). */
export function selects(selector: LabelSelector | undefined, labels: Readonly<Record<string, string>>): boolean {
    if (!selector) {
        return false;
    }
    const byLabel = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
    const byExpression = itemsOf(selector.matchExpressions).every((requirement) => {
        const key = textOf(requirement?.key);
        const values = itemsOf(requirement?.values);
        switch (requirement?.operator) {
            case "In":
                return key in labels && values.includes(labels[key]);
            case "NotIn":
                return !(key in labels) || !values.includes(labels[key]);
            case "Exists":
                return key in labels;
            case "DoesNotExist":
                return !(key in labels);
            default:
                return false;
        }
    });
    return byLabel && byExpression;
}

function budgetOf(resource: ReviewedResource): BudgetSpec {
    return (resource.props.spec ?? {}) as BudgetSpec;
}

/** A count or a percentage of `total`, rounded up as the disruption controller rounds it. */
function scaled(value: unknown, total: number): number | undefined {
    if (typeof value === "number") {
        return value;
    }
    const percent = typeof value === "string" ? /^(\d+)%$/.exec(value) : null;
    return percent ? Math.ceil((Number(percent[1]) * total) / 100) : undefined;
}

/**
 * The fewest pods a workload runs: its own `spec.replicas`, else the `minReplicas` of the HPA
 * that owns its count (1 when unset), else Kubernetes' default of 1 replica.
 */
export function fewestPods(workload: ReviewedResource, resources: readonly ReviewedResource[]): number {
    const replicas = (workload.props.spec as { replicas?: unknown } | undefined)?.replicas;
    if (typeof replicas === "number") {
        return replicas;
    }
    const owner = resources.find((r) => {
        const target = (r.props.spec as AutoscalerSpec | undefined)?.scaleTargetRef;
        return r.type === autoscaler && namespaceOf(r) === namespaceOf(workload) && target?.kind === workload.type.split(":").pop() && textOf(target?.name) === textOf(metadataOf(workload).name);
    });
    if (!owner) {
        return 1;
    }
    const minReplicas = (owner.props.spec as AutoscalerSpec).minReplicas;
    return typeof minReplicas === "number" ? minReplicas : 1;
}

/**
 * Why a budget lets no pod of a workload running `pods` pods be evicted, or undefined when it lets
 * at least one go. As kubernetes/kubernetes pkg/controller/disruption/disruption.go
 * (getExpectedPodCount) computes it: `maxUnavailable` and a percentage `minAvailable` are scaled
 * to the pod count rounding up, and an eviction needs more healthy pods than desired.
 */
export function blocksEviction(budget: BudgetSpec, pods: number): string | undefined {
    const { maxUnavailable, minAvailable } = budget;
    if (maxUnavailable !== undefined) {
        const allowed = scaled(maxUnavailable, pods);
        return allowed !== undefined && allowed <= 0 ? `maxUnavailable is ${JSON.stringify(maxUnavailable)}` : undefined;
    }
    const desired = scaled(minAvailable, pods);
    return desired !== undefined && desired >= pods ? `minAvailable is ${JSON.stringify(minAvailable)} of ${pods} pod${pods === 1 ? "" : "s"} at the fewest` : undefined;
}

export const k8sPdbPerDeployment: StackRule = {
    kind: "stack",
    name: "k8s-pdb-per-deployment",
    description: "Every Deployment (and StatefulSet) is covered by a PodDisruptionBudget that still lets a node drain at its fewest pods (its replicas, or its HPA's minReplicas).",
    enforcement: { dev: "advisory", production: "mandatory" },
    resourceTypes: servingTypes,
    check: (resources) => {
        const budgets = resources.filter((r) => r.type === disruptionBudget);
        const violations: Violation[] = [];
        for (const workload of resources.filter((r) => servingTypes.includes(r.type) && !isAddOn(r))) {
            const labels = podLabelsOf(workload);
            const covering = budgets.filter((b) => namespaceOf(b) === namespaceOf(workload) && selects(budgetOf(b).selector, labels));
            if (covering.length === 0) {
                violations.push({
                    urn: workload.urn,
                    message: `${workload.name} has no PodDisruptionBudget: a node drain or upgrade may evict all its pods at once`,
                });
            }
            const pods = fewestPods(workload, resources);
            for (const budget of covering) {
                const reason = blocksEviction(budgetOf(budget), pods);
                if (reason) {
                    violations.push({ urn: budget.urn, message: `${budget.name} lets no pod of ${workload.name} be evicted (${reason}): node drains hang` });
                }
            }
        }
        return violations;
    },
};

export const disruptionRules: readonly StackRule[] = [k8sPdbPerDeployment];
