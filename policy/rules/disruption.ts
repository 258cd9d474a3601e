import type * as k8s from "@pulumi/kubernetes/types/input";
import { isAddOn, namespaceOf, podLabelsOf, servingTypes } from "./pods";
import { itemsOf, type Shape, textOf } from "./shapes";
import type { ReviewedResource, StackRule, Violation } from "./types";

const disruptionBudget = "kubernetes:policy/v1:PodDisruptionBudget";

type LabelSelector = Shape<k8s.meta.v1.LabelSelector>;
type BudgetSpec = Shape<k8s.policy.v1.PodDisruptionBudgetSpec>;

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

/** Why a budget lets no pod of the workload be evicted, or undefined when it lets at least one go. */
function blocksEviction(budget: BudgetSpec, replicas: unknown): string | undefined {
    const { maxUnavailable, minAvailable } = budget;
    if (maxUnavailable === 0 || maxUnavailable === "0%") {
        return `maxUnavailable is ${JSON.stringify(maxUnavailable)}`;
    }
    if (minAvailable === "100%" || (typeof minAvailable === "number" && typeof replicas === "number" && minAvailable >= replicas)) {
        return `minAvailable is ${JSON.stringify(minAvailable)}${typeof replicas === "number" ? ` of ${replicas} replicas` : ""}`;
    }
    return undefined;
}

export const k8sPdbPerDeployment: StackRule = {
    kind: "stack",
    name: "k8s-pdb-per-deployment",
    description: "Every Deployment (and StatefulSet) is covered by a PodDisruptionBudget that still lets a node drain.",
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
            const replicas = (workload.props.spec as { replicas?: unknown } | undefined)?.replicas;
            for (const budget of covering) {
                const reason = blocksEviction(budgetOf(budget), replicas);
                if (reason) {
                    violations.push({ urn: budget.urn, message: `${budget.name} lets no pod of ${workload.name} be evicted (${reason}): node drains hang` });
                }
            }
        }
        return violations;
    },
};

export const disruptionRules: readonly StackRule[] = [k8sPdbPerDeployment];
