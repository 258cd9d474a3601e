import { strict as assert } from "assert";
import { compare } from "../tools/engine/fieldDiff";
import { renderStack } from "../tools/engine/render";
import { unknownText } from "../tools/engine/wire";
import { projectDir, stacks } from "./harness";

// The production deploy applies a saved plan (`pulumi preview --save-plan`, then `pulumi up --plan`).
// The update fails on any input whose value differs from the one the preview recorded, while an
// input unknown in the preview accepts any value (pulumi/pulumi v3.248.0 pkg/resource/deploy/plan.go,
// checkGoal → checkDiff, PropertyValue.DeepEqualsIncludeUnknowns).
describe("a saved plan applies: the preview records only what the update will register", () => {
    for (const stack of stacks) {
        it(`${stack}: every input known in the preview has the same value in the update`, async () => {
            const preview = await renderStack({ projectDir, stack, preview: true });
            const update = await renderStack({ projectDir, stack });
            const planned = new Map(preview.resources.map((r) => [r.urn, r]));
            assert.deepEqual(update.resources.map((r) => r.urn).sort(), [...planned.keys()].sort(), "the same resources");
            for (const resource of update.resources) {
                const before = planned.get(resource.urn);
                const differing = compare("inputs", before?.inputs, resource.inputs).filter((d) => !(d.kind === "value" && d.before === unknownText));
                assert.deepEqual(differing, [], `${resource.type} ${resource.name}: the plan would refuse the update`);
            }
        });
    }

    it("leaves the ECR token unknown in the preview: ECR issues a new one on every call", async () => {
        const registry = async (preview: boolean) =>
            (await renderStack({ projectDir, stack: "production", preview })).resources.find((r) => r.type === "docker:index/image:Image")?.inputs.registry as Record<string, unknown>;
        assert.equal((await registry(true)).password, unknownText);
        assert.deepEqual((await registry(false)).password, { "@secret": "render-registry-password" }, "the update pushes with the token it fetched");
    });
});
