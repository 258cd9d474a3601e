import { strict as assert } from "assert";
import * as path from "path";
import { RenderQuery } from "../tools/engine/query";
import { renderStack } from "../tools/engine/render";
import { isSecret } from "../tools/engine/wire";

const fixtureDir = path.join(__dirname, "fixtures", "engine");

describe("the offline render engine", () => {
    let render: RenderQuery;
    before(async () => {
        render = new RenderQuery(await renderStack({ projectDir: fixtureDir, stack: "test" }));
    });

    it("reads the stack file over Pulumi.yaml's defaults", () => {
        assert.equal(render.ofType("aws:sqs/queue:Queue").length, 2);
    });

    it("records resource options as the engine receives them", () => {
        assert.equal(render.one("aws:kms/key:Key").options.protect, true);
        assert.deepEqual(render.one("aws:sqs/queue:Queue", "queue-0").options.ignoreChanges, ["tags"]);
        assert.equal(render.one("aws:ssm/parameter:Parameter").options.retainOnDelete, true);
    });

    it("records the explicit provider of each resource", () => {
        const provider = render.one("pulumi:providers:aws");
        for (const type of ["aws:kms/key:Key", "aws:sqs/queue:Queue", "aws:ssm/parameter:Parameter"]) {
            for (const resource of render.ofType(type)) {
                assert.equal(resource.provider, provider.urn, `${resource.name} uses the explicit provider`);
            }
        }
    });

    it("records dependencies implied by inputs, per input", () => {
        const key = render.one("aws:kms/key:Key");
        const queue = render.one("aws:sqs/queue:Queue", "queue-1");
        assert.deepEqual(queue.propertyDependencies.kmsMasterKeyId, [key.urn]);
        assert.ok(queue.dependencies.includes(key.urn));
        assert.equal(queue.options.dependsOn, undefined, "an input dependency is not an explicit dependsOn");
    });

    it("records explicit dependsOn apart from input dependencies", () => {
        const parameter = render.one("aws:ssm/parameter:Parameter");
        const queues = render.ofType("aws:sqs/queue:Queue").map((q) => q.urn);
        assert.deepEqual(parameter.options.dependsOn, queues);
        assert.ok(render.waitsFor(parameter, render.one("aws:kms/key:Key")), "the parameter waits for the key through the queues");
    });

    it("replaces secure values with marked placeholders and keeps them secret", () => {
        const value = render.one("aws:ssm/parameter:Parameter").inputs.value;
        assert.ok(isSecret(value));
        assert.deepEqual(value, { "@secret": "[secret fixture:apiToken]" });
        assert.ok(isSecret(render.outputs.token), "a secret input stays secret in the stack outputs");
    });

    it("answers provider lookups offline", () => {
        assert.equal(render.one("aws:ssm/parameter:Parameter").inputs.description, "zone eu-central-1a");
    });

    it("gives every resource the stack as root", () => {
        const stack = render.one("pulumi:pulumi:Stack");
        for (const resource of render.resources.filter((r) => r !== stack)) {
            assert.equal(render.ancestors(resource).at(-1)?.urn, stack.urn);
        }
    });

    it("refuses a resource without an explicit provider when the default provider is disabled", async () => {
        await renderStack({ projectDir: fixtureDir, stack: "strict" });
        await assert.rejects(
            renderStack({ projectDir: fixtureDir, stack: "strict", overrides: { "fixture:forgetProvider": true } }),
            /Default provider for 'aws' disabled\. 'aws:sqs\/queue:Queue::queue-on-the-default-provider' must use an explicit provider/,
        );
    });

    it("renders the same state from run to run", async () => {
        const again = await renderStack({ projectDir: fixtureDir, stack: "test" });
        assert.equal(JSON.stringify(again), JSON.stringify(render.rendered));
    });
});
