import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import { planAction } from "../../tools/release/plan";
import { applyEdits, readStackFile } from "../../tools/release/stackFile";
import { configProblems, projectDir, render } from "../harness";

const pinned = { name: "api", release: { active: "blue", versions: { blue: "src-1", green: "src-2" } } };

describe("release, promote and rollback", () => {
    it("releases a blue/green service to the idle color only", () => {
        assert.deepEqual(planAction(pinned, 0, "production", { kind: "release", version: "src-3" }), {
            edits: [{ path: ["platform:services", 0, "release", "versions", "green"], value: "src-3" }],
            summary: "api: src-3 goes to the idle color green; blue keeps serving. Smoke-test it with the X-Platform-Preview: true header, then promote.",
        });
    });

    it("refuses to release while the live color still follows the build, unless told what it runs", () => {
        const unpinned = { name: "api" };
        assert.match(String((planAction(unpinned, 0, "production", { kind: "release", version: "src-3" }) as { refused: string }).refused), /--live-version/);
        const plan = planAction(unpinned, 0, "production", { kind: "release", version: "src-3", liveVersion: "src-1" });
        assert.deepEqual("edits" in plan && plan.edits.map((e) => [e.path.slice(-1)[0], e.value]), [["blue", "src-1"], ["green", "src-3"]]);
    });

    it("refuses a version the stack's config would reject, before touching the file", () => {
        assert.deepEqual(planAction(pinned, 0, "production", { kind: "release", version: "v1 final" }), {
            refused: `--version: "v1 final" is not an image tag (letters, digits, '_', '.', '-'; at most 128) or a sha256: digest`,
        });
        assert.ok("refused" in planAction({ name: "api" }, 0, "production", { kind: "release", version: "src-3", liveVersion: "-x" }));
    });

    it("releases by digest as well as by tag", () => {
        const digest = `sha256:${"a".repeat(64)}`;
        const plan = planAction(pinned, 0, "production", { kind: "release", version: digest });
        assert.deepEqual("edits" in plan && plan.edits.map((e) => e.value), [digest]);
    });

    it("promotes and rolls back by switching the active color alone", () => {
        for (const kind of ["promote", "rollback"] as const) {
            const plan = planAction(pinned, 0, "production", { kind });
            assert.deepEqual("edits" in plan && plan.edits, [{ path: ["platform:services", 0, "release", "active"], value: "green" }]);
        }
    });

    it("sends a rolling service's release to its one Deployment, and refuses to promote it", () => {
        const plan = planAction({ name: "api" }, 0, "dev", { kind: "release", version: "src-9" });
        assert.deepEqual("edits" in plan && plan.edits, [{ path: ["platform:services", 0, "release", "version"], value: "src-9" }]);
        assert.ok("refused" in planAction({ name: "api" }, 0, "dev", { kind: "promote" }));
    });

    it("edits the stack file in place, keeping its comments", () => {
        const text = fs.readFileSync(`${projectDir}/Pulumi.production.yaml`, "utf8");
        const edited = applyEdits(text, [{ path: ["platform:services", 0, "release", "active"], value: "green" }]);
        assert.ok(edited.includes("# production: highly available and protected."));
        assert.equal(readStackFile(edited).services[0].release?.active, "green");
    });

    it("produces a stack file the program accepts, promoting to the released color", async () => {
        const text = fs.readFileSync(`${projectDir}/Pulumi.production.yaml`, "utf8");
        const { services } = readStackFile(applyEdits(text, [
            { path: ["platform:services", 0, "release", "versions", "blue"], value: "src-aaaaaaaaaaaaaaaa" },
            { path: ["platform:services", 0, "release", "versions", "green"], value: "src-bbbbbbbbbbbbbbbb" },
            { path: ["platform:services", 0, "release", "active"], value: "green" },
        ]));
        const q = await render("production", { "platform:services": services });
        assert.equal((q.objects("Service", "api")[0] as any).spec.selector["platform.io/color"], "green");
    });

    it("reports a missing service by name", () => {
        assert.throws(
            () => execFileSync("npx", ["ts-node", "--transpile-only", "tools/release.ts", "promote", "--stack", "production", "--service", "web"], { cwd: projectDir, stdio: "pipe" }),
            (error: { stderr: Buffer }) => /Pulumi.production.yaml has no service named web/.test(error.stderr.toString()),
        );
    });

    it("rejects an unknown color in the file a hand edit left behind", async () => {
        assert.deepEqual(await configProblems("production", { "platform:services[0].release.versions.red": "src-1" }), [
            'services[0].release.versions.red: unknown key; known keys: "blue", "green"',
        ]);
    });
});
