import { strict as assert } from "assert";
import fc from "fast-check";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { type ContextEntry, contentTag, contextEntries, sourceTag } from "../../components/image/contentTag";
import { projectDir } from "../harness";

const settings = { platform: "linux/amd64" };

const entry = fc.record({
    path: fc.stringMatching(/^[a-z]{1,6}(\/[a-z]{1,6}){0,2}\.[a-z]{1,3}$/),
    kind: fc.constantFrom<ContextEntry["kind"]>("file", "executable", "symlink"),
    sha256: fc.stringMatching(/^[0-9a-f]{64}$/),
});
const entries = fc.uniqueArray(entry, { selector: (e) => e.path, minLength: 1, maxLength: 12 });

/** Writes `files` (path → content) into a fresh folder and returns it. */
function tree(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "image-context-"));
    for (const [file, content] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        fs.writeFileSync(path.join(dir, file), content);
    }
    return dir;
}

const serviceIgnore = fs.readFileSync(path.join(projectDir, "services", "api", ".dockerignore"), "utf8");

/** Files of a service folder: what the image is built from, and what its .dockerignore keeps out. */
const sourceFile = fc.stringMatching(/^(src|lib)\/[a-z]{1,5}\.(ts|json)$/);
const ignoredFile = fc.oneof(
    fc.stringMatching(/^(node_modules|test|\.git|dist)\/[a-z]{1,5}\.(ts|js)$/),
    fc.stringMatching(/^(src\/)?\.env$/),
    fc.stringMatching(/^src\/[a-z]{1,5}\.log$/),
);

describe("image tags: the content hash of a service's build context", () => {
    it("names content, not listing order", () => {
        const listAndShuffled = entries.chain((list) => fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length })));
        fc.assert(
            fc.property(listAndShuffled, ([list, shuffled]) => {
                assert.equal(contentTag(shuffled, settings), contentTag(list, settings));
            }),
        );
    });

    it("changes with any byte, path or executable bit, and with the build platform", () => {
        fc.assert(
            fc.property(entries, fc.nat(), fc.constantFrom("path", "kind", "sha256"), (list, pick, field) => {
                const i = pick % list.length;
                const changed = list.map((e, j) => {
                    if (j !== i) {
                        return e;
                    }
                    if (field === "path") {
                        return { ...e, path: `${e.path}x` };
                    }
                    if (field === "kind") {
                        return { ...e, kind: e.kind === "file" ? ("executable" as const) : ("file" as const) };
                    }
                    return { ...e, sha256: e.sha256.replace(/^./, (c) => (c === "0" ? "1" : "0")) };
                });
                assert.notEqual(contentTag(changed, settings), contentTag(list, settings));
                assert.notEqual(contentTag(list, { platform: "linux/arm64" }), contentTag(list, settings));
            }),
        );
    });

    it("is a valid, immutable-looking image tag: src- and 16 hex digits", () => {
        fc.assert(fc.property(entries, (list) => assert.match(contentTag(list, settings), /^src-[0-9a-f]{16}$/)));
    });

    it("changes when a file the image is built from changes, and not when a file .dockerignore keeps out does", () => {
        fc.assert(
            fc.property(
                fc.uniqueArray(sourceFile, { minLength: 1, maxLength: 5 }),
                fc.uniqueArray(ignoredFile, { maxLength: 5 }),
                fc.nat(),
                fc.string({ minLength: 1, maxLength: 20 }),
                (sources, ignored, pick, edit) => {
                    const files = Object.fromEntries([...sources, ...ignored].map((f) => [f, `content of ${f}`]));
                    const dir = tree({ ...files, Dockerfile: "FROM scratch\n", ".dockerignore": serviceIgnore });
                    try {
                        const before = sourceTag(dir, settings);
                        const extra = ignored.length > 0 ? ignored[pick % ignored.length] : "node_modules/new.js";
                        fs.mkdirSync(path.dirname(path.join(dir, extra)), { recursive: true });
                        fs.appendFileSync(path.join(dir, extra), edit);
                        assert.equal(sourceTag(dir, settings), before, `editing ${extra} keeps the tag`);
                        fs.appendFileSync(path.join(dir, sources[pick % sources.length]), edit);
                        assert.notEqual(sourceTag(dir, settings), before, `editing ${sources[pick % sources.length]} changes the tag`);
                    } finally {
                        fs.rmSync(dir, { recursive: true, force: true });
                    }
                },
            ),
            { numRuns: 30 },
        );
    });

    it("counts the Dockerfile even when .dockerignore leaves it out, and follows ! exceptions", () => {
        const dir = tree({ Dockerfile: "FROM scratch\n", ".dockerignore": "Dockerfile\ntest\n!test/fixture.json\n", "test/fixture.json": "{}", "test/other.ts": "" });
        try {
            const before = sourceTag(dir, settings);
            fs.appendFileSync(path.join(dir, "Dockerfile"), "USER 10001\n");
            const afterDockerfile = sourceTag(dir, settings);
            assert.notEqual(afterDockerfile, before);
            fs.appendFileSync(path.join(dir, "test", "fixture.json"), " ");
            assert.notEqual(sourceTag(dir, settings), afterDockerfile, "a file an exception brings back counts");
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("builds the example service from its sources and lockfile, without its tests or node_modules", () => {
        const paths = contextEntries(path.join(projectDir, "services", "api")).map((e) => e.path);
        for (const needed of ["Dockerfile", "runtime-root.sh", "package.json", "package-lock.json", "tsconfig.json", "src/main.ts"]) {
            assert.ok(paths.includes(needed), `${needed} is in the context`);
        }
        assert.deepEqual(
            paths.filter((p) => /^(test|node_modules|dist)\//.test(p)),
            [],
        );
    });
});
