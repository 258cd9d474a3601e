import { strict as assert } from "assert";
import fc from "fast-check";
import { currentSizeOf, desiredSizeFor, isAutoNameOf } from "../../components/cluster/nodeGroup";
import { diffRenders } from "../../tools/engine/diff";
import { render } from "../harness";

const nodeGroup = "aws:eks/nodeGroup:NodeGroup";

interface Scaling {
    minSize: number;
    desiredSize: number;
    maxSize: number;
}

function scaling(q: Awaited<ReturnType<typeof render>>, name: string): Scaling {
    const group = q.ofType(nodeGroup).find((g) => g.name === name);
    assert.ok(group, `node group ${name}`);
    return group.inputs.scalingConfig as Scaling;
}

// Dev has one group, `spot` (min 1, desired 2, max 3), registered as `cluster-spot`; EKS holds it under
// the name Pulumi's auto-naming made: the resource name, a dash and seven hex digits.
const deployed = (desired: number) => ({ nodeGroups: { "cluster-spot-0a1b2c3": desired } });

describe("node group sizes across updates", () => {
    it("raises the desired size with a raised minSize, which EKS would refuse below it", async () => {
        // The autoscaler left the group at 1; minSize goes to 2: EKS answers UpdateNodegroupConfig with
        // "Minimum capacity 2 can't be greater than desired size 1" unless the desired size moves too.
        const raised = { "platform:cluster.nodeGroups[0].minSize": 2, "platform:cluster.nodeGroups[0].desiredSize": 3, "platform:cluster.nodeGroups[0].maxSize": 4 };
        const q = await render("dev", raised, deployed(1));
        assert.deepEqual(scaling(q, "cluster-spot"), { minSize: 2, desiredSize: 2, maxSize: 4 }, "the new minimum, not the creation size");
    });

    it("keeps the autoscaler's current size instead of the configured one, within the bounds", async () => {
        assert.equal(scaling(await render("dev", {}, deployed(3)), "cluster-spot").desiredSize, 3);
        const lowered = await render("dev", { "platform:cluster.nodeGroups[0].maxSize": 2 }, deployed(3));
        assert.deepEqual(scaling(lowered, "cluster-spot"), { minSize: 1, desiredSize: 2, maxSize: 2 });
    });

    it("lets the autoscaler own the desired size without an ignoreChanges that would send the creation size", async () => {
        // With ignoreChanges the engine sends the old input, and the AWS provider always sends the desired size
        // (terraform-provider-aws internal/service/eks/node_group.go, expandNodegroupScalingConfig).
        for (const group of (await render("dev", {}, deployed(3))).ofType(nodeGroup)) {
            assert.equal(group.options.ignoreChanges, undefined);
        }
    });

    it("plans nothing on a second up with the same config and the same current size", async () => {
        const first = await render("dev", { "platform:cluster.nodeGroups[0].minSize": 2 }, deployed(1));
        // After the first up EKS holds the new size; the second up reads it back.
        const second = await render("dev", { "platform:cluster.nodeGroups[0].minSize": 2 }, deployed(2));
        const diff = diffRenders(first.rendered, second.rendered);
        assert.deepEqual([diff.added, diff.removed, diff.changed].map((l) => l.length), [0, 0, 0]);
    });

    it("creates a group at its configured size on a first up, without asking EKS about a cluster that does not exist", async () => {
        const q = await render("dev", {}, { clusters: [], nodeGroups: { "cluster-spot-0a1b2c3": 3 } });
        assert.equal(scaling(q, "cluster-spot").desiredSize, 2);
    });

    it("creates a group new to an existing cluster at its configured size", async () => {
        const q = await render("dev", {}, { nodeGroups: { "cluster-other-0a1b2c3": 3 } });
        assert.equal(scaling(q, "cluster-spot").desiredSize, 2);
    });

    it("finds a group only under its own auto-name, never under a longer group name that starts the same", () => {
        assert.equal(isAutoNameOf("cluster-system", "cluster-system-1a2b3c4"), true);
        assert.equal(isAutoNameOf("cluster-system", "cluster-system-eu-west-1a-1a2b3c4"), false);
        assert.equal(isAutoNameOf("cluster-system-eu-west-1a", "cluster-system-eu-west-1a-1a2b3c4"), true);
        assert.equal(isAutoNameOf("cluster-system", "cluster-system-zzzzzzz"), false);
        assert.equal(currentSizeOf("cluster-system", { "cluster-system-eu-west-1a-1a2b3c4": 5 }), undefined);
        assert.equal(currentSizeOf("cluster-system", { "cluster-system-1a2b3c4": 2, "cluster-system-5d6e7f8": 4 }), 4, "the larger during a replacement");
    });

    it("sends a desired size EKS accepts for any current size, equal to the current one whenever it is within bounds", () => {
        fc.assert(
            fc.property(fc.nat(20), fc.nat(20), fc.nat(20), fc.option(fc.nat(40), { nil: undefined }), (a, b, c, current) => {
                const [minSize, desiredSize, maxSize] = [a, b, c].sort((x, y) => x - y);
                const sent = desiredSizeFor({ minSize, desiredSize, maxSize }, current);
                assert.ok(minSize <= sent && sent <= maxSize);
                if (current === undefined) {
                    assert.equal(sent, desiredSize);
                } else if (current >= minSize && current <= maxSize) {
                    assert.equal(sent, current);
                }
            }),
        );
    });
});
