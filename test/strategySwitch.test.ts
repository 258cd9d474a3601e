import { strict as assert } from "assert";
import { deployedStrategy, strategySwitchProblems, targetGroupResourceId } from "../components/strategySwitch";
import { controllerTargetGroups } from "../tools/engine/fakeController";
import type { FakeTargetGroup } from "../tools/engine/fakeAccount";
import type { RenderedResource } from "../tools/engine/model";
import { renderStack } from "../tools/engine/render";
import { configProblems, projectDir, render, renderFailure } from "./harness";

// A strategy switch of a deployed service is read from the target groups the AWS Load Balancer
// Controller v3.5.0 tagged for its Ingress (pkg/deploy/tracking/provider.go; resource IDs from
// pkg/ingress/model_build_target_group.go `buildTargetGroupResourceID`). The fake account holds
// the target groups the controller would have made for an earlier render (tools/engine/fakeController.ts).

/** What an earlier `up` of the stack left in the account: its Ingresses' target groups. */
async function deployedTargetGroups(stack: string, overrides: Record<string, unknown> = {}): Promise<FakeTargetGroup[]> {
    return controllerTargetGroups(await renderStack({ projectDir, stack, overrides }));
}

/** Nothing but the stack and the AWS provider the lookups go through: no resource of the platform. */
function assertNothingRegistered(registered: RenderedResource[]): void {
    assert.deepEqual(
        registered.filter((r) => r.type !== "pulumi:pulumi:Stack" && r.type !== "pulumi:providers:aws").map((r) => r.urn),
        [],
    );
}

const toBlueGreen = { "platform:services[0].strategy": "blueGreen" };
const toRolling = { "platform:services[0].strategy": "rolling" };

describe("switching the strategy of a deployed service", () => {
    it("reads the controller's tags of a rolling and a blue/green Ingress as upstream writes them", async () => {
        assert.deepEqual(
            (await deployedTargetGroups("dev")).map((g) => g.tags),
            [{ "elbv2.k8s.aws/cluster": "platform-dev", "ingress.k8s.aws/stack": "platform-dev-api", "ingress.k8s.aws/resource": "api/api-api:http" }],
        );
        assert.deepEqual(
            (await deployedTargetGroups("production")).map((g) => g.tags["ingress.k8s.aws/resource"]),
            ["api/api-api-blue:http", "api/api-api-green:http"],
            "each color's target group, from the live and preview actions' forward config",
        );
        assert.deepEqual([targetGroupResourceId("api", "rolling"), targetGroupResourceId("api", "blue")], ["api/api-api:http", "api/api-api-blue:http"]);
    });

    it("refuses rolling → blueGreen before any resource is registered, naming the key, the value, what is allowed and the way forward", async () => {
        const account = { targetGroups: await deployedTargetGroups("dev") };
        const failure = await renderFailure("dev", toBlueGreen, account);
        assertNothingRegistered(failure.registered);
        assert.deepEqual((failure.cause as { problems: string[] }).problems, [
            `services[0].strategy: "blueGreen" switches api, deployed "rolling" (its ALB target group api/api-api:http in cluster platform-dev), in one update: the ALB drops the old target group at once and the new one has no healthy targets until the new pods pass their health checks, so api answers 503 meanwhile. Allowed: "rolling" (as deployed); or accept that outage for this switch: pulumi config set --path 'services[0].acceptStrategySwitchOutage' blueGreen (docs/services.md, "Switching strategy")`,
        ]);
    });

    it("refuses blueGreen → rolling the same way", async () => {
        const account = { targetGroups: await deployedTargetGroups("production") };
        const failure = await renderFailure("production", toRolling, account);
        assertNothingRegistered(failure.registered);
        const problems = (failure.cause as { problems: string[] }).problems;
        assert.equal(problems.length, 1);
        assert.match(problems[0], /^services\[0\]\.strategy: "rolling" switches api, deployed "blueGreen" \(its ALB target group api\/api-api-blue:http in cluster platform-production\)/);
        assert.match(problems[0], /Allowed: "blueGreen" \(as deployed\); or accept that outage for this switch: pulumi config set --path 'services\[0\]\.acceptStrategySwitchOutage' rolling /);
    });

    it("switches with the opt-in that names the new strategy, and only with that one", async () => {
        const dev = { targetGroups: await deployedTargetGroups("dev") };
        const switched = await render("dev", { ...toBlueGreen, "platform:services[0].acceptStrategySwitchOutage": "blueGreen" }, dev);
        assert.deepEqual(switched.ofType("kubernetes:apps/v1:Deployment").map((d) => (d.inputs.metadata as { name: string }).name).sort(), ["api-blue", "api-green"]);

        const production = { targetGroups: await deployedTargetGroups("production") };
        const back = await render("production", { ...toRolling, "platform:services[0].acceptStrategySwitchOutage": "rolling" }, production);
        assert.deepEqual(back.ofType("kubernetes:apps/v1:Deployment").map((d) => (d.inputs.metadata as { name: string }).name), ["api"]);

        const stale = await configProblems("production", { ...toRolling, "platform:services[0].acceptStrategySwitchOutage": "blueGreen" }, production);
        assert.match(stale[0], /^services\[0\]\.strategy: "rolling" switches api/, "an opt-in left from the previous switch allows no other");
    });

    it("does not refuse a first up, an unchanged strategy, or a service the ALB does not serve yet", async () => {
        const leftovers = await deployedTargetGroups("dev");
        // No cluster: nothing is deployed, whatever tagged target groups an earlier stack of the name left behind.
        await render("dev", { ...toBlueGreen, "platform:cluster.publicAccessCidrs": ["198.51.100.0/24"] }, { clusters: [], targetGroups: leftovers });
        await render("dev", {}, { targetGroups: leftovers });
        // Without an Ingress (a rolling service: blue/green needs one), whatever the ALB served.
        await render("dev", { "platform:services[0].ingress.enabled": false }, { targetGroups: await deployedTargetGroups("dev", toBlueGreen) });
        await render("dev", toBlueGreen, { targetGroups: await deployedTargetGroups("production") });
    });

    it("takes a service whose ALB serves both strategies' target groups (a switch under way) as not deployed with either", async () => {
        const config = { project: "platform", stack: "dev", services: [{ name: "api", strategy: "rolling" as const, ingress: { enabled: true, path: "/" } }] };
        const tags = (track: "rolling" | "blue" | "green", cluster = "platform-dev") => ({
            "elbv2.k8s.aws/cluster": cluster,
            "ingress.k8s.aws/stack": "platform-dev-api",
            "ingress.k8s.aws/resource": targetGroupResourceId("api", track),
        });
        assert.equal(deployedStrategy(config, "api", [tags("blue"), tags("green")]), "blueGreen");
        assert.equal(deployedStrategy(config, "api", [tags("rolling"), tags("blue")]), undefined);
        assert.equal(deployedStrategy(config, "api", [tags("blue", "platform-production")]), undefined, "another cluster's target group says nothing of this one");
        assert.deepEqual(strategySwitchProblems(config, [tags("rolling"), tags("blue"), tags("green")]), []);
        assert.equal(strategySwitchProblems(config, [tags("blue"), tags("green")]).length, 1);
    });
});
