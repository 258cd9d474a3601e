import { strict as assert } from "assert";
import { listStacks } from "../../tools/engine/stackFiles";
import { blocking, checkRender, formatOutcomes, stackProfile } from "../../tools/policyCheck";
import { projectDir, render } from "../harness";

describe("policy over the shipped stacks (offline render)", () => {
    for (const stack of listStacks(projectDir)) {
        it(`the ${stack} stack passes every mandatory rule of its profile`, async () => {
            const profile = stackProfile(projectDir, stack);
            const outcomes = checkRender((await render(stack)).rendered, profile);
            assert.deepEqual(
                blocking(outcomes).map((outcome) => outcome.rule.name),
                [],
                `pulumi up --policy-pack would stop:\n${formatOutcomes(blocking(outcomes), stack, profile)}`,
            );
        });
    }
});
