import { strict as assert } from "assert";
import { render } from "../harness";

const fixed = { "platform:services[0].autoscaling.enabled": false };

describe("service scaling with autoscaling off", () => {
    const bounds = (q: Awaited<ReturnType<typeof render>>) => (q.objects("HorizontalPodAutoscaler") as any[]).map((h) => [h.spec.minReplicas, h.spec.maxReplicas]);

    it("runs each color at autoscaling.minReplicas when no replica count is given, held there by an HPA pinned to it", async () => {
        const q = await render("production", { ...fixed, "platform:services[0].autoscaling.minReplicas": 4 });
        assert.deepEqual(bounds(q), [[4, 4], [4, 4]]);
        for (const deployment of q.objects("Deployment") as any[]) {
            assert.equal(deployment.spec.replicas, 4, deployment.metadata.name);
        }
    });

    it("runs the replica count config gives, on every color", async () => {
        const q = await render("production", { ...fixed, "platform:services[0].replicas": 5 });
        assert.deepEqual((q.objects("Deployment") as any[]).map((d) => d.spec.replicas), [5, 5]);
        assert.deepEqual(bounds(q), [[5, 5], [5, 5]]);
    });

    it("still keeps a budget per Deployment, so a node drains one pod at a time", async () => {
        const q = await render("dev", { ...fixed, "platform:services[0].replicas": 2 });
        assert.equal((q.objects("PodDisruptionBudget", "api")[0] as any).spec.maxUnavailable, 1);
    });
});

describe("service rollouts", () => {
    it("rolls a blue/green color's pods by the configured surge and unavailability", async () => {
        const q = await render("production", { "platform:services[0].rollout.maxSurge": 1, "platform:services[0].rollout.maxUnavailable": "10%" });
        for (const deployment of q.objects("Deployment") as any[]) {
            assert.deepEqual(deployment.spec.strategy, { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: "10%" } });
        }
    });
});
