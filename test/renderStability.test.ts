import { strict as assert } from "assert";
import { baseRender } from "../tools/engine/baseRender";
import { diffRenders } from "../tools/engine/diff";
import { formatDiff } from "../tools/engine/diffText";
import { renderStack } from "../tools/engine/render";
import { projectDir, stacks } from "./harness";
import { copyProject } from "../tools/projectCopy";

/** Every change of a diff, one line each, for a readable assertion message. */
const changes = (diff: ReturnType<typeof diffRenders>) => [
    ...diff.added.map((r) => `+ ${r.type} ${r.name}`),
    ...diff.removed.map((r) => `- ${r.type} ${r.name}`),
    ...diff.changed.flatMap((c) => c.fields.map((f) => `~ ${c.type} ${c.name} ${f.path}`)),
];

describe("no false changes: the same commit renders the same from any folder", function () {
    let copy: ReturnType<typeof copyProject>;
    before(() => {
        copy = copyProject();
    });
    after(() => copy.cleanup());

    for (const stack of stacks) {
        it(`${stack}: this checkout and a copy elsewhere, at its commit (--diff main) and as a stack (--diff ${stack}), diff to nothing`, async () => {
            // The process stays in this checkout while it renders a project in another folder, as a reviewer's would.
            const here = await renderStack({ projectDir, stack });
            const there = await renderStack({ projectDir: copy.dir, stack });
            const atRef = await baseRender(copy.dir, "main", stack);
            const asStack = await baseRender(copy.dir, stack, stack);
            assert.match(atRef.label, /at main/, "main is read as a git ref");
            assert.match(asStack.label, /^stack /, `${stack} is read as a stack`);
            for (const [name, base, head] of [
                ["this checkout → a copy", here, there],
                ["the copy at main → the copy", atRef.rendered, there],
                [`--diff ${stack} in the copy`, asStack.rendered, there],
            ] as const) {
                const diff = diffRenders(base, head);
                assert.deepEqual(changes(diff), [], `${name}:\n${formatDiff(diff, name)}`);
                assert.ok(diff.unchanged > 0);
            }
        });
    }
});
