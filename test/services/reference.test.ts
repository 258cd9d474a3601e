import { strict as assert } from "assert";
import get from "lodash/get";
import { parseConfig } from "../../config";
import { configReference } from "../../config/reference";
import { readProject, readStackConfig, toRuntimeConfig } from "../../tools/engine/stackFiles";
import { projectDir, stacks } from "../harness";

/** A shipped stack's profile and the settings its first service gets from the program itself. */
function firstService(stack: string) {
    const project = readProject(projectDir);
    const config = readStackConfig(projectDir, project, stack);
    const parsed = parseConfig({ project: project.name, stack, values: toRuntimeConfig(config), secretKeys: config.secretKeys });
    return { profile: parsed.profile, service: parsed.services[0] };
}

const serviceRows = () => configReference().filter((row) => row.key.startsWith("services[].") && !row.key.slice("services[].".length).includes("[]"));

describe("configuration reference for services", () => {
    for (const stack of stacks) {
        it(`states each service field's ${stack} default as the program applies it`, () => {
            const { profile, service } = firstService(stack);
            const documented = serviceRows().filter((row) => row.defaults[profile] !== undefined && typeof row.defaults[profile] !== "object");
            assert.ok(documented.length > 0);
            for (const row of documented) {
                assert.deepEqual(get(service, row.key.slice("services[].".length)), row.defaults[profile], row.key);
            }
        });
    }

    it("asks an entry for nothing but its name (and a source or an image)", () => {
        assert.deepEqual(serviceRows().filter((row) => row.required).map((row) => row.key), ["services[].name"]);
    });
});
