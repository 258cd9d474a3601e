import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { diffRenders } from "../tools/engine/diff";
import { formatDiff } from "../tools/engine/diffText";
import { projectAtRef } from "../tools/engine/gitTree";
import { renderStack } from "../tools/engine/render";

const fixtureDir = path.join(__dirname, "fixtures", "engine");

describe("the offline render diff", () => {
    it("lists resources added and removed", async () => {
        const base = await renderStack({ projectDir: fixtureDir, stack: "test" });
        const head = await renderStack({ projectDir: fixtureDir, stack: "test", overrides: { "fixture:queues": 3 } });
        const diff = diffRenders(base, head);
        assert.deepEqual(diff.added.map((r) => r.name), ["queue-2"]);
        assert.deepEqual(diffRenders(head, base).removed.map((r) => r.name), ["queue-2"]);
    });

    it("shows a changed resource field by field", async () => {
        const base = await renderStack({ projectDir: fixtureDir, stack: "test" });
        const head = await renderStack({ projectDir: fixtureDir, stack: "test", overrides: { "aws:region": "eu-west-3" } });
        const change = diffRenders(base, head).changed.find((c) => c.name === "token");
        assert.ok(change, "the parameter changed");
        assert.deepEqual(
            change.fields.map((f) => [f.path, f.before, f.after]),
            [["inputs.description", "zone eu-central-1a", "zone eu-west-3a"]],
        );
        assert.equal(change.kind, "update");
    });

    it("calls out a change that replaces the resource", async () => {
        const base = await renderStack({ projectDir: fixtureDir, stack: "test" });
        const head = structuredClone(base);
        const key = head.resources.find((r) => r.type === "aws:kms/key:Key");
        assert.ok(key);
        key.inputs.keyUsage = "SIGN_VERIFY";
        const text = formatDiff(diffRenders(base, head), "title");
        assert.match(text, /\+-replace {2}aws:kms\/key:Key {2}key/);
        assert.match(text, /keyUsage: \(unset\) → "SIGN_VERIFY" {2}\(forces replacement\)/);
        assert.match(text, /0 to create, 0 to update, 1 to replace, 0 to delete/);
    });

    it("compares two stacks resource by resource, not by stack name", async () => {
        const test = await renderStack({ projectDir: fixtureDir, stack: "test" });
        const strict = await renderStack({ projectDir: fixtureDir, stack: "strict" });
        const diff = diffRenders(test, strict);
        assert.deepEqual(diff.removed.map((r) => r.name), ["queue-1"], "strict has one queue, test two");
        assert.equal(diff.added.length, 0);
    });

    it("renders the project as it was at a git ref", async function () {
        const repo = fs.mkdtempSync(path.join(os.tmpdir(), "render-diff-"));
        try {
            fs.cpSync(fixtureDir, repo, { recursive: true });
            fs.symlinkSync(path.resolve(__dirname, "..", "node_modules"), path.join(repo, "node_modules"));
            const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, stdio: "pipe" });
            git("init", "-q");
            fs.writeFileSync(path.join(repo, ".gitignore"), "node_modules\n");
            git("add", ".");
            git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "base");
            fs.writeFileSync(
                path.join(repo, "Pulumi.test.yaml"),
                fs.readFileSync(path.join(repo, "Pulumi.test.yaml"), "utf8").replace("fixture:queues: 2", "fixture:queues: 1"),
            );
            const tree = projectAtRef(repo, "HEAD");
            try {
                const base = await renderStack({ projectDir: tree.dir, stack: "test" });
                const head = await renderStack({ projectDir: repo, stack: "test" });
                assert.deepEqual(diffRenders(base, head).removed.map((r) => r.name), ["queue-1"]);
            } finally {
                tree.cleanup();
            }
        } finally {
            fs.rmSync(repo, { recursive: true, force: true });
        }
    });
});
