import { strict as assert } from "assert";
import { diffRenders } from "../../tools/engine/diff";
import { configProblems, render } from "../harness";

/** The ALB's idle timeout as the load balancer controller's attributes annotation sets it. */
function idleTimeoutSeconds(ingress: any): number {
    const attributes = String(ingress.metadata.annotations["alb.ingress.kubernetes.io/load-balancer-attributes"]);
    return Number(/idle_timeout\.timeout_seconds=(\d+)/.exec(attributes)?.[1]);
}

describe("keep-alive behind the ALB", () => {
    // AWS ELB User Guide, application-load-balancers.html#connection-idle-timeout: the target's keep-alive must exceed the ALB's idle timeout.
    for (const idle of [undefined, 4000]) {
        it(`gives every pod a keep-alive longer than its ALB's idle timeout (${idle ?? "default"} s)`, async () => {
            const q = await render("production", idle === undefined ? {} : { "platform:edge.idleTimeoutSeconds": idle });
            const [ingress] = q.objects("Ingress", "api");
            const alb = idleTimeoutSeconds(ingress);
            assert.equal(alb, idle ?? 60);
            const configMaps = new Map(q.objects("ConfigMap").map((c: any) => [c.metadata.name, c.data]));
            for (const deployment of q.objects("Deployment") as any[]) {
                const container = deployment.spec.template.spec.containers[0];
                const data = configMaps.get(container.envFrom[0].configMapRef.name);
                assert.ok(Number(data.HTTP_KEEP_ALIVE_TIMEOUT_MS) > alb * 1000, `${deployment.metadata.name}: ${data.HTTP_KEEP_ALIVE_TIMEOUT_MS} ms against ${alb} s`);
            }
        });
    }

    it("changes the ALB alone when its idle timeout changes: no pod rolls, so no pod closes connections sooner than the ALB meanwhile", async () => {
        const diff = diffRenders((await render("production", {})).rendered, (await render("production", { "platform:edge.idleTimeoutSeconds": 4000 })).rendered);
        assert.deepEqual([...diff.added, ...diff.removed].map((r) => r.type), []);
        assert.deepEqual(diff.changed.map((c) => c.type), ["kubernetes:networking.k8s.io/v1:Ingress"]);
    });

    it("refuses HTTP_KEEP_ALIVE_TIMEOUT_MS in a service's env: the platform sets it", async () => {
        const problems = await configProblems("dev", { "platform:services[0].env": { HTTP_KEEP_ALIVE_TIMEOUT_MS: "1000" } });
        assert.ok(problems.some((p) => p.includes("HTTP_KEEP_ALIVE_TIMEOUT_MS") && p.includes("platform sets itself")), problems.join("\n"));
    });
});
