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

    it("turning autoscaling off applies the configured count", async () => {
        const autoscaled = await render("dev", {});
        const off = await render("dev", fixed(4));
        const [deployment] = off.ofType(deploymentType);
        assert.equal(appliedReplicas(sentInputs(deployment, autoscaled.one(deploymentType, deployment.name).inputs)), 4);
        assert.equal(appliedReplicas(sentInputs(deployment, (await render("dev", fixed(2))).one(deploymentType, deployment.name).inputs)), 4, "and a change of the count");
        // The HPA's manager still owns spec.replicas at that apply (the HPA goes after the update): without force,
        // server-side apply answers with a conflict (pulumi-kubernetes provider/pkg/await/await.go, patchForce).
        assert.equal((deployment.inputs as any).metadata.annotations?.["pulumi.com/patchForce"], "true");
    });

    it("forces no apply under an HPA, whose count is ignored and left to it", async () => {
        for (const deployment of (await render("production", {})).ofType(deploymentType)) {
            assert.equal((deployment.inputs as any).metadata.annotations?.["pulumi.com/patchForce"], undefined, deployment.name);
        }
    });
});
