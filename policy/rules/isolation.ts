import type * as k8s from "@pulumi/kubernetes/types/input";
import { addOnNamespaces, isAddOn, metadataOf, namespaceOf, workloadTypes } from "./pods";
import { itemsOf, type Shape, textOf } from "./shapes";
import type { ReviewedResource, StackRule, Violation } from "./types";

const namespaceType = "kubernetes:core/v1:Namespace";
const networkPolicyType = "kubernetes:networking.k8s.io/v1:NetworkPolicy";

type NetworkPolicySpec = Shape<k8s.networking.v1.NetworkPolicySpec>;

/**
 * True for a policy that selects every pod of its namespace and admits nothing in or out: an empty
 * pod selector, both policy types, no rules. Kubernetes then drops whatever no other policy admits.
 */
export function deniesAll(spec: NetworkPolicySpec | undefined): boolean {
    const selector = spec?.podSelector;
    const selectsAll = selector !== undefined && Object.keys(selector.matchLabels ?? {}).length === 0 && itemsOf(selector.matchExpressions).length === 0;
    const types = itemsOf(spec?.policyTypes);
    return selectsAll && types.includes("Ingress") && types.includes("Egress") && itemsOf(spec?.ingress).length === 0 && itemsOf(spec?.egress).length === 0;
}

/** The workload namespaces of a stack, each with the resource a violation names: its Namespace object, or its first workload. */
function workloadNamespaces(resources: readonly ReviewedResource[]): Map<string, ReviewedResource> {
    const namespaces = new Map<string, ReviewedResource>();
    for (const resource of resources) {
        if (resource.type === namespaceType) {
            const name = textOf(metadataOf(resource).name) || resource.name;
            if (!addOnNamespaces.includes(name)) {
                namespaces.set(name, resource);
            }
        }
    }
    for (const resource of resources) {
        if (workloadTypes.includes(resource.type) && !isAddOn(resource) && !namespaces.has(namespaceOf(resource))) {
            namespaces.set(namespaceOf(resource), resource);
        }
    }
    return namespaces;
}

export const k8sNamespaceDefaultDeny: StackRule = {
    kind: "stack",
    name: "k8s-namespace-default-deny",
    description: "Every workload namespace holds a default-deny NetworkPolicy (all pods, ingress and egress, no rules), so only what a service's own policy admits gets through.",
    enforcement: { dev: "mandatory", production: "mandatory" },
    resourceTypes: [namespaceType, ...workloadTypes],
    check: (resources) => {
        const denying = new Set(
            resources.filter((r) => r.type === networkPolicyType && deniesAll(r.props.spec as NetworkPolicySpec | undefined)).map((r) => namespaceOf(r)),
        );
        const violations: Violation[] = [];
        for (const [namespace, subject] of workloadNamespaces(resources)) {
            if (!denying.has(namespace)) {
                violations.push({ urn: subject.urn, message: `namespace ${namespace} has no default-deny NetworkPolicy: its pods take and send any traffic no policy mentions` });
            }
        }
        return violations;
    },
};

export const isolationRules: readonly StackRule[] = [k8sNamespaceDefaultDeny];
