import { strict as assert } from "assert";
import fc from "fast-check";
import { autoscalerKeepsDesiredSize, desiredSizeFor, isAutoNameOf, liveScalingOf } from "../../components/cluster/nodeGroup";
import { diffRenders } from "../../tools/engine/diff";
import type { RenderedResource } from "../../tools/engine/model";
import { render } from "../harness";

const nodeGroup = "aws:eks/nodeGroup:NodeGroup";

interface Scaling {
    minSize: number;
    desiredSize: number;
    maxSize: number;
}

function group(q: Awaited<ReturnType<typeof render>>, name: string): RenderedResource {
    const found = q.ofType(nodeGroup).find((g) => g.name === name);
    assert.ok(found, `node group ${name}`);
    return found;
}

const scaling = (q: Awaited<ReturnType<typeof render>>, name: string) => group(q, name).inputs.scalingConfig as Scaling;
const ignoresDesiredSize = (q: Awaited<ReturnType<typeof render>>, name: string) => (group(q, name).options.ignoreChanges ?? []).includes("scalingConfig.desiredSize");

// Dev has one group, `spot` (min 1, desired 2, max 3), registered as `cluster-spot`; EKS holds it under
// the name Pulumi's auto-naming made: the resource name, a dash and seven hex digits.
const deployed = (desiredSize: number, bounds = { minSize: 1, maxSize: 3 }) => ({ nodeGroups: { "cluster-spot-0a1b2c3": { ...bounds, desiredSize } } });

describe("node group sizes across updates", () => {
    it("raises the desired size with a raised minSize, which EKS would refuse below it", async () => {
        // The autoscaler left the group at 1; minSize goes to 2: EKS answers UpdateNodegroupConfig with
        // "Minimum capacity 2 can't be greater than desired size 1" unless the desired size moves too.
        const raised = { "platform:cluster.nodeGroups[0].minSize": 2, "platform:cluster.nodeGroups[0].desiredSize": 3, "platform:cluster.nodeGroups[0].maxSize": 4 };
        const q = await render("dev", raised, deployed(1));
        assert.deepEqual(scaling(q, "cluster-spot"), { minSize: 2, desiredSize: 2, maxSize: 4 }, "the new minimum, not the creation size");
        assert.equal(ignoresDesiredSize(q, "cluster-spot"), false, "the update sends the size it computed, not the old input");
    });

    it("sends the autoscaler's current size, within the new bounds, whenever the bounds change", async () => {
        const lowered = await render("dev", { "platform:cluster.nodeGroups[0].maxSize": 2 }, deployed(3));
        assert.deepEqual(scaling(lowered, "cluster-spot"), { minSize: 1, desiredSize: 2, maxSize: 2 });
        const widened = await render("dev", { "platform:cluster.nodeGroups[0].maxSize": 6 }, deployed(3));
        assert.deepEqual(scaling(widened, "cluster-spot"), { minSize: 1, desiredSize: 3, maxSize: 6 }, "the current size, not the configured 2");
        assert.equal(ignoresDesiredSize(widened, "cluster-spot"), false);
    });

    it("leaves the desired size to the autoscaler while the bounds stay: no scaling update is sent, so no old input either", async () => {
        // terraform-provider-aws internal/service/eks/node_group.go, resourceNodeGroupUpdate: the scaling config
        // goes to UpdateNodegroupConfig only `if d.HasChange("scaling_config")`; with the desired size ignored
        // and the bounds unchanged there is none, and a label or taint change sends no size.
        for (const current of [1, 2, 3]) {
            assert.equal(ignoresDesiredSize(await render("dev", {}, deployed(current)), "cluster-spot"), true);
        }
        const before = await render("dev", {}, deployed(3));
        const relabelled = await render("dev", { "platform:cluster.nodeGroups[0].labels": { workload: "batch" } }, deployed(3));
        const changed = diffRenders(before.rendered, relabelled.rendered).changed.filter((c) => c.type === nodeGroup);
        assert.equal(changed.length, 1);
        assert.ok(!JSON.stringify(changed[0]).includes("desiredSize"), "a label change carries no desired size");
    });

    it("starts a group that a change of instance types or capacity type replaces at the autoscaler's current size", async () => {
        // instance_types and capacity_type are ForceNew (terraform-provider-aws internal/service/eks/node_group.go):
        // the new group is created from the inputs, and an ignored desired size would be the old input.
        const spot = { minSize: 1, desiredSize: 3, maxSize: 3, instanceTypes: ["t3.large"], capacityType: "SPOT" };
        const configured = await render("dev", {}, { nodeGroups: { "cluster-spot-0a1b2c3": spot } });
        const instanceTypes = (group(configured, "cluster-spot").inputs.instanceTypes as string[]).join(",");
        const capacityType = group(configured, "cluster-spot").inputs.capacityType as string;
        const same = await render("dev", {}, { nodeGroups: { "cluster-spot-0a1b2c3": { ...spot, instanceTypes: instanceTypes.split(","), capacityType } } });
        assert.equal(ignoresDesiredSize(same, "cluster-spot"), true, "nothing replaced: left to the autoscaler");
        for (const live of [{ ...spot, instanceTypes: ["c6i.xlarge"], capacityType }, { ...spot, instanceTypes: instanceTypes.split(","), capacityType: capacityType === "SPOT" ? "ON_DEMAND" : "SPOT" }]) {
            const replaced = await render("dev", {}, { nodeGroups: { "cluster-spot-0a1b2c3": live } });
            assert.equal(ignoresDesiredSize(replaced, "cluster-spot"), false);
            assert.equal(scaling(replaced, "cluster-spot").desiredSize, 3, "the current size, not the configured 2");
        }
    });

    it("plans nothing on a second up with the same config, however the autoscaler moved", async () => {
        const diffCount = (a: Awaited<ReturnType<typeof render>>, b: Awaited<ReturnType<typeof render>>) => {
            const diff = diffRenders(a.rendered, b.rendered);
            return [diff.added, diff.removed, diff.changed].map((l) => l.length);
        };
        assert.deepEqual(diffCount(await render("dev", {}, deployed(1)), await render("dev", {}, deployed(3))), [0, 0, 0]);
        // After a bounds change EKS holds the new bounds; the next up reads them back and sends nothing.
        const raised = { "platform:cluster.nodeGroups[0].minSize": 2 };
        const first = await render("dev", raised, deployed(1));
        const second = await render("dev", raised, deployed(3, { minSize: 2, maxSize: 3 }));
        assert.deepEqual(diffCount(first, second), [0, 0, 0]);
    });

    it("creates a group at its configured size on a first up, without asking EKS about a cluster that does not exist", async () => {
        const q = await render("dev", {}, { clusters: [], ...deployed(3) });
        assert.equal(scaling(q, "cluster-spot").desiredSize, 2);
        assert.equal(ignoresDesiredSize(q, "cluster-spot"), false);
    });

    it("creates a group new to an existing cluster at its configured size", async () => {
        const q = await render("dev", {}, { nodeGroups: { "cluster-other-0a1b2c3": { minSize: 1, desiredSize: 3, maxSize: 3 } } });
        assert.equal(scaling(q, "cluster-spot").desiredSize, 2);
        assert.equal(ignoresDesiredSize(q, "cluster-spot"), false);
    });

    it("finds a group only under its own auto-name, never under a longer group name that starts the same", () => {
        const size = (desiredSize: number) => ({ minSize: 0, desiredSize, maxSize: 9 });
        assert.equal(isAutoNameOf("cluster-system", "cluster-system-1a2b3c4"), true);
        assert.equal(isAutoNameOf("cluster-system", "cluster-system-eu-west-1a-1a2b3c4"), false);
        assert.equal(isAutoNameOf("cluster-system-eu-west-1a", "cluster-system-eu-west-1a-1a2b3c4"), true);
        assert.equal(isAutoNameOf("cluster-system", "cluster-system-zzzzzzz"), false);
        assert.equal(liveScalingOf("cluster-system", { "cluster-system-eu-west-1a-1a2b3c4": size(5) }), undefined);
        assert.equal(liveScalingOf("cluster-system", { "cluster-system-1a2b3c4": size(2), "cluster-system-5d6e7f8": size(4) })?.desiredSize, 4, "the larger during a replacement");
    });

    it("never sends a desired size EKS refuses: a sent size lies within the bounds, an ignored one only where the bounds are unchanged", () => {
        const bounds = fc.tuple(fc.nat(20), fc.nat(20), fc.nat(20)).map((xs) => xs.sort((x, y) => x - y));
        fc.assert(
            fc.property(bounds, fc.option(bounds, { nil: undefined }), ([minSize, desiredSize, maxSize], live) => {
                const current = live && { minSize: live[0], desiredSize: live[1], maxSize: live[2] };
                if (autoscalerKeepsDesiredSize({ minSize, maxSize }, { instanceTypes: ["m7i.large"], capacityType: "ON_DEMAND" }, current)) {
                    // Nothing is sent, and what EKS holds is already within these very bounds.
                    assert.ok(current && current.minSize === minSize && current.maxSize === maxSize);
                    return;
                }
                const sent = desiredSizeFor({ minSize, desiredSize, maxSize }, current?.desiredSize);
                assert.ok(minSize <= sent && sent <= maxSize);
                assert.equal(sent, current === undefined ? desiredSize : Math.min(Math.max(current.desiredSize, minSize), maxSize));
            }),
        );
    });
});
