import { strict as assert } from "assert";
import { configProblems, render } from "../harness";
import { listenerRules } from "./albController";

/** `count` distinct /32 blocks. */
const cidrs = (count: number) => Array.from({ length: count }, (_, i) => `198.18.${Math.floor(i / 256)}.${i % 256}/32`);
const blueGreen = (extra: Record<string, unknown>) => ({ "platform:services[0].strategy": "blueGreen", ...extra });

// Elastic Load Balancing quotas (load-balancer-limits.html): 100 rules per Application Load Balancer, default rules not counted.
describe("the ALB's listener rules within their quota", () => {
    it("renders the most preview CIDRs an ALB holds, in at most 100 rules, and refuses one more naming the key and the limit", async () => {
        const q = await render("dev", blueGreen({ "platform:services[0].blueGreen.preview.sourceCidrs": cidrs(294) }));
        const [ingress] = q.objects("Ingress", "api");
        const rules = listenerRules(ingress, q.objects("Service"));
        assert.equal(rules.length, 100);
        const problems = await configProblems("dev", blueGreen({ "platform:services[0].blueGreen.preview.sourceCidrs": cidrs(295) }));
        assert.deepEqual(problems, [
            'services[0].blueGreen.preview.sourceCidrs: "295 CIDRs" need 101 listener rules (3 CIDRs a rule with this host and path, plus the preview-denied and live rules), above the ALB\'s 100 rules per load balancer; list at most 294, e.g. wider blocks',
        ]);
    });

    it("counts fewer CIDRs a rule under a host and a path prefix", async () => {
        const host = { "platform:services[0].ingress": { host: "api.example.com", path: "/api" } };
        // A host and a two-pattern path leave one source value a rule: 98 preview rules at most.
        const problems = await configProblems("dev", blueGreen({ ...host, "platform:services[0].blueGreen.preview.sourceCidrs": cidrs(99) }));
        assert.match(problems.join("\n"), /sourceCidrs: "99 CIDRs" need 101 listener rules .* list at most 98/);
    });
});

describe("blue/green needs its Ingress", () => {
    it("refuses blueGreen with ingress.enabled false: nothing would carry the weights", async () => {
        assert.deepEqual(await configProblems("production", { "platform:services[0].ingress.enabled": false }), [
            "services[0].ingress.enabled: false leaves a blue/green service without the Ingress that carries its colors' weights: promote and rollback would route nothing; set ingress.enabled true, or strategy rolling",
        ]);
    });
});
