import { strict as assert } from "assert";
import type * as k8s from "@pulumi/kubernetes/types/input";
import fc from "fast-check";
import { deniesAll, k8sNamespaceDefaultDeny } from "../../policy/rules/isolation";
import { assertCaught, assertClean, resource, stackFindings } from "./fixtures";

const namespace = (name: string) => resource<k8s.core.v1.Namespace>("kubernetes:core/v1:Namespace", name, { metadata: { name } });
const workload = (ns: string) =>
    resource<k8s.apps.v1.Deployment>("kubernetes:apps/v1:Deployment", `${ns}-app`, {
        metadata: { name: "app", namespace: ns },
        spec: { selector: {}, template: { spec: { containers: [{ name: "app", image: "app:1" }] } } },
    });
const policy = (ns: string, spec: k8s.networking.v1.NetworkPolicySpec) =>
    resource<k8s.networking.v1.NetworkPolicy>("kubernetes:networking.k8s.io/v1:NetworkPolicy", `${ns}-policy`, { metadata: { name: "default-deny", namespace: ns }, spec: spec as never });
const denyAll = { podSelector: {}, policyTypes: ["Ingress", "Egress"] };

describe("policy: a default-deny NetworkPolicy in every workload namespace", () => {
    const names = fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/), { minLength: 1, maxLength: 5 }).filter((list) => !list.includes("kube-system"));

    it("passes a stack exactly when each namespace it creates or runs workloads in holds one", () => {
        fc.assert(
            fc.property(names, fc.func(fc.boolean()), fc.func(fc.boolean()), (namespaces, created, guarded) => {
                const resources = namespaces.flatMap((ns) => [...(created(ns) ? [namespace(ns)] : []), workload(ns), ...(guarded(ns) ? [policy(ns, denyAll)] : [])]);
                const unguarded = namespaces.filter((ns) => !guarded(ns));
                const reported = stackFindings(k8sNamespaceDefaultDeny, resources).map((v) => v.message).sort();
                assert.deepEqual(reported, unguarded.sort().map((ns) => `namespace ${ns} has no default-deny NetworkPolicy: its pods take and send any traffic no policy mentions`));
            }),
        );
    });

    it("counts only a policy that selects every pod, covers both directions and admits nothing", () => {
        assert.equal(deniesAll(denyAll), true);
        assert.equal(deniesAll({ podSelector: { matchLabels: {} }, policyTypes: ["Egress", "Ingress"] }), true);
        assert.equal(deniesAll({ podSelector: { matchLabels: { app: "api" } }, policyTypes: ["Ingress", "Egress"] }), false, "some pods only");
        assert.equal(deniesAll({ podSelector: {}, policyTypes: ["Ingress"] }), false, "egress left open");
        assert.equal(deniesAll({ podSelector: {}, policyTypes: ["Ingress", "Egress"], ingress: [{}] }), false, "an empty ingress rule admits everything");
        assert.equal(deniesAll(undefined), false);
        assertCaught(stackFindings(k8sNamespaceDefaultDeny, [namespace("api"), policy("api", { podSelector: {}, policyTypes: ["Ingress"] })]), /namespace api has no default-deny/);
    });

    it("leaves kube-system, where the add-ons install, to their charts", () => {
        assertClean(stackFindings(k8sNamespaceDefaultDeny, [namespace("kube-system"), workload("kube-system")]));
    });
});
