import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { copyProject } from "../tools/projectCopy";
import {
    exampleCommands,
    excerptOf,
    offlineScripts,
    releaseDiffCommand,
    runExample,
    scriptOf,
    scriptsNotRun,
} from "../tools/readmeExamples";
import { projectDir } from "./harness";

const readme = fs.readFileSync(path.join(projectDir, "README.md"), "utf8");
const examples = exampleCommands(readme);

describe("the README's examples", () => {
    it("are found, and each npm script they use is either run here or left out for a stated reason", () => {
        assert.ok(examples.some((c) => scriptOf(c) === "render") && examples.some((c) => scriptOf(c) === "release"), examples.join("\n"));
        const manifest = JSON.parse(fs.readFileSync(path.join(projectDir, "package.json"), "utf8")) as { scripts: Record<string, string> };
        for (const command of examples) {
            const script = scriptOf(command);
            assert.ok(script === "test" || script in manifest.scripts, `"${command}": package.json has no script ${script}`);
            assert.ok(offlineScripts.includes(script) || script in scriptsNotRun, `"${command}": add ${script} to offlineScripts or scriptsNotRun (tools/readmeExamples.ts)`);
        }
    });

    it("run as written, in order, on a copy of the shipped stacks; a diff against the unchanged commit shows no change; the release diff excerpt is what the release example produces", function () {
        // Each example is a separate ts-node process rendering a whole stack.
        this.timeout(300_000);
        const copy = copyProject();
        try {
            let edited = false;
            let excerptChecked = false;
            for (const command of examples.filter((c) => offlineScripts.includes(scriptOf(c)))) {
                const { status, output } = runExample(copy.dir, command);
                assert.equal(status, 0, `"${command}" failed on the shipped stacks:\n${output}`);
                const ref = /--diff (\S+)/.exec(command)?.[1];
                if (ref && !edited && !fs.existsSync(path.join(copy.dir, `Pulumi.${ref}.yaml`))) {
                    assert.match(output, /^No changes\.$/m, `"${command}" on an unchanged checkout in another folder:\n${output}`);
                }
                if (scriptOf(command) === "release" && !excerptChecked) {
                    const diff = runExample(copy.dir, releaseDiffCommand(command));
                    assert.equal(diff.status, 0, diff.output);
                    assert.equal(excerptOf(readme), diff.output.trimEnd(), "README.md's release diff excerpt is stale: run npm run docs");
                    excerptChecked = true;
                }
                edited ||= ["release", "promote", "rollback"].includes(scriptOf(command));
            }
            assert.ok(excerptChecked);
        } finally {
            copy.cleanup();
        }
    });
});
