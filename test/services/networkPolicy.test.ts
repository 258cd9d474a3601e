import { strict as assert } from "assert";
import { diffRenders } from "../../tools/engine/diff";
import type { KubernetesObject } from "../../tools/engine/manifests";
import { render } from "../harness";
import { containerOf, pinned } from "./bluegreenFixtures";

const a = { version: "src-aaaaaaaaaaaaaaaa", number: 1 };
const b = { version: "src-bbbbbbbbbbbbbbbb", number: 2 };

/**
 * The TCP ports the ALB's subnets may reach, as the VPC CNI's policy controller resolves an ipBlock
 * ingress rule: a number as it is, a name against the containers of every pod the policy selects,
 * the union deduplicated (aws/amazon-network-policy-controller-k8s pkg/resolvers/endpoints.go,
 * resolveIngressPorts and getIngressRulesPorts).
 */
function admittedPorts(policy: KubernetesObject, pods: KubernetesObject[]): number[] {
    const ports = new Set<number>();
    for (const rule of (policy as any).spec.ingress) {
        for (const port of rule.ports) {
            if (typeof port.port === "number") {
                ports.add(port.port);
                continue;
            }
            for (const pod of pods) {
                const named = containerOf(pod).ports.find((p: any) => p.name === port.port && p.protocol === port.protocol);
                if (named) {
                    ports.add(named.containerPort);
                }
            }
        }
    }
    return [...ports].sort();
}

describe("the service's NetworkPolicy through a port change", () => {
    it("admits the ALB to the old pods' port and the new pods' port while a port change rolls both colors", async () => {
        const before = await render("production", pinned("blue", a, b));
        const after = await render("production", { ...pinned("blue", a, b), "platform:services[0].port": 9090 });
        const policy = (q: typeof before) => q.objects("NetworkPolicy", "api")[0];
        // Mid-rollout both generations of both colors run: the old ones on 8080, the new ones on 9090.
        const pods = [...before.objects("Deployment"), ...after.objects("Deployment")];
        assert.deepEqual(admittedPorts(policy(after), pods), [8080, 9090]);
        assert.deepEqual(admittedPorts(policy(after), after.objects("Deployment")), [9090], "once the old pods are gone, only the new port");
        const diff = diffRenders(before.rendered, after.rendered);
        assert.ok(!diff.changed.some((c) => c.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy"), "the policy is not rewritten by a port change");
    });
});
