import { strict as assert } from "assert";
import cloneDeep from "lodash/cloneDeep";
import get from "lodash/get";
import has from "lodash/has";
import isEqual from "lodash/isEqual";
import set from "lodash/set";
import unset from "lodash/unset";
import { diffRenders } from "../../tools/engine/diff";
import type { RenderedResource } from "../../tools/engine/model";
import { render } from "../harness";

const deploymentType = "kubernetes:apps/v1:Deployment";
const fixed = (replicas: number) => ({ "platform:services[0].autoscaling.enabled": false, "platform:services[0].replicas": replicas });

/**
 * The inputs the engine sends for an update, from the program's and those it recorded last: each
 * ignored path takes the recorded value, or is dropped when none was recorded
 * (pulumi/pulumi pkg/resource/deploy/step_generator.go, processIgnoreChanges: PropertyPath.Reset).
 */
function sentInputs(program: RenderedResource, recorded: Record<string, unknown>): Record<string, unknown> {
    const sent = cloneDeep(program.inputs);
    for (const path of program.options.ignoreChanges ?? []) {
        if (has(recorded, path)) {
            set(sent, path, get(recorded, path));
        } else {
            unset(sent, path);
        }
    }
    return sent;
}

/** The Deployment `replicas` a server-side apply of `sent` leaves: the value sent, else (no other owner yet) the default 1. */
const appliedReplicas = (sent: Record<string, unknown>) => (get(sent, "spec.replicas") as number | undefined) ?? 1;

describe("the pod count through autoscaling changes", () => {
    for (const stack of ["dev", "production"] as const) {
        it(`${stack}: turning autoscaling on keeps each Deployment's pods, and the next up plans nothing`, async () => {
            const before = await render(stack, fixed(4));
            const after = await render(stack, {});
            for (const deployment of after.ofType(deploymentType)) {
                const recorded = before.one(deploymentType, deployment.name).inputs;
                const first = sentInputs(deployment, recorded);
                assert.equal(appliedReplicas(first), 4, `${deployment.name}: the count the pods had`);
                const second = sentInputs(deployment, first);
                assert.ok(isEqual(second, first), `${deployment.name}: the second up sends what the first recorded`);
            }
        });
    }

    it("creates an autoscaled Deployment at the HPA's floor, and leaves a Deployment recorded without a count without one", async () => {
        const q = await render("production", {});
        for (const deployment of q.ofType(deploymentType)) {
            const hpa = q.objects("HorizontalPodAutoscaler", (deployment.inputs as any).metadata.name)[0] as any;
            assert.equal((deployment.inputs as any).spec.replicas, hpa.spec.minReplicas);
            // A Deployment an earlier version created without `replicas`: the HPA owns the count, nothing is sent.
            const recorded = cloneDeep(deployment.inputs);
            unset(recorded, "spec.replicas");
            assert.ok(isEqual(sentInputs(deployment, recorded), recorded));
        }
    });

    it("shows a reviewer no change of the count where the engine sends none", async () => {
        const diff = diffRenders((await render("production", fixed(4))).rendered, (await render("production", {})).rendered);
        const fields = diff.changed.filter((c) => c.type === deploymentType).flatMap((c) => c.fields.map((f) => f.path));
        assert.ok(!fields.includes("inputs.spec.replicas"), fields.join("\n"));
    });

    it("turning autoscaling off, or changing the fixed count, moves the HPA's bounds and never the Deployment's count", async () => {
        // The HPA enforces its bounds before any metric (kubernetes pkg/controller/podautoscaler/horizontal.go,
        // reconcileAutoscaler), so the count moves to `replicas` with one owner throughout: no apply of
        // spec.replicas that would conflict with the HPA's manager or be overwritten by it before it goes.
        const autoscaled = await render("dev", {});
        for (const count of [4, 2]) {
            const off = await render("dev", fixed(count));
            const [deployment] = off.ofType(deploymentType);
            const hpa = off.objects("HorizontalPodAutoscaler", (deployment.inputs as any).metadata.name)[0] as any;
            assert.deepEqual([hpa.spec.minReplicas, hpa.spec.maxReplicas], [count, count]);
            const recorded = autoscaled.one(deploymentType, deployment.name).inputs;
            assert.equal(get(sentInputs(deployment, recorded), "spec.replicas"), get(recorded, "spec.replicas"), "the Deployment's count is left to the HPA");
        }
    });

    it("gives every Deployment an HPA, so the count has one owner whatever the config says", async () => {
        for (const overrides of [{}, fixed(3)]) {
            for (const stack of ["dev", "production"] as const) {
                const q = await render(stack, overrides);
                for (const deployment of q.ofType(deploymentType)) {
                    assert.deepEqual(deployment.options.ignoreChanges, ["spec.replicas"], deployment.name);
                    assert.equal(q.objects("HorizontalPodAutoscaler", (deployment.inputs as any).metadata.name).length, 1, deployment.name);
                }
            }
        }
    });
});
