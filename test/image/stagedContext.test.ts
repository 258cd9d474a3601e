import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { contentTag, contextEntries } from "../../components/image/contentTag";
import { stageContext, stagingFolder } from "../../components/image/stagedContext";
import { projectDir } from "../harness";
import { providerContextDigest } from "./providerDigest";

const settings = { platform: "linux/amd64" };
const apiSource = path.join(projectDir, "services", "api");

/** Every file and folder under `dir`, its mode set as a checkout under `umask` leaves it. */
function applyUmask(dir: string, umask: number): void {
    for (const item of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
        const full = path.join(item.parentPath, item.name);
        const executable = item.isDirectory() || (fs.statSync(full).mode & 0o100) !== 0;
        fs.chmodSync(full, (executable ? 0o777 : 0o666) & ~umask);
    }
}

/** A checkout of the example service at a folder of its own, as git under `umask` writes it. */
function checkout(umask: number): { root: string; source: string } {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "image-checkout-"));
    const source = path.join(root, "services", "api");
    fs.cpSync(apiSource, source, { recursive: true, filter: (from) => !from.includes(`${path.sep}node_modules`) });
    applyUmask(source, umask);
    return { root, source };
}

/** Stages `source` as the program does and returns the staged folder. */
function staged(root: string, source: string): { context: string; tag: string } {
    const entries = contextEntries(source);
    const tag = contentTag(entries, settings);
    return { context: stageContext(root, source, entries, tag), tag };
}

describe("ServiceImage's staged build context: the same to the docker provider from every checkout", () => {
    const roots: string[] = [];
    afterEach(() => roots.splice(0).forEach((root) => fs.rmSync(root, { recursive: true, force: true })));

    it("a checkout under umask 0002 and one under 0022, in other folders, give the provider the same contextDigest", () => {
        const desktop = checkout(0o002);
        const ci = checkout(0o022);
        roots.push(desktop.root, ci.root);
        assert.notEqual(providerContextDigest(desktop.source), providerContextDigest(ci.source), "built in place, the two checkouts differ to the provider");
        const a = staged(desktop.root, desktop.source);
        const b = staged(ci.root, ci.source);
        assert.equal(a.tag, b.tag);
        assert.equal(a.context, b.context, "the context in the state is the same relative path");
        assert.equal(a.context, `${stagingFolder}/${a.tag}`);
        assert.equal(providerContextDigest(path.join(desktop.root, a.context)), providerContextDigest(path.join(ci.root, b.context)));
        assert.equal(providerContextDigest(path.join(ci.root, b.context)), providerContextDigest(ci.source), "under umask 0022 the stage is what the checkout was");
    });

    it("holds exactly the files the tag covers, executables 0755 and the rest 0644", () => {
        const { root, source } = checkout(0o002);
        roots.push(root);
        fs.writeFileSync(path.join(source, ".env"), "SECRET=1\n");
        fs.mkdirSync(path.join(source, "node_modules", "x"), { recursive: true });
        fs.writeFileSync(path.join(source, "node_modules", "x", "index.js"), "");
        const { context } = staged(root, source);
        const stage = path.join(root, context);
        const files = fs
            .readdirSync(stage, { withFileTypes: true, recursive: true })
            .filter((item) => !item.isDirectory())
            .map((item) => path.relative(stage, path.join(item.parentPath, item.name)).split(path.sep).join("/"))
            .sort();
        assert.deepEqual(files, contextEntries(source).map((e) => e.path).sort(), "ignored files (.env, node_modules) are not staged");
        for (const entry of contextEntries(source)) {
            const mode = fs.statSync(path.join(stage, entry.path)).mode & 0o777;
            assert.equal(mode, entry.kind === "executable" ? 0o755 : 0o644, entry.path);
        }
        assert.ok(contextEntries(source).some((e) => e.kind === "executable"), "runtime-root.sh keeps its executable bit");
    });

    it("an edit gives another tag and another stage; staging a tag again reuses its folder", () => {
        const { root, source } = checkout(0o022);
        roots.push(root);
        const first = staged(root, source);
        const digest = providerContextDigest(path.join(root, first.context));
        assert.deepEqual(staged(root, source), first);
        fs.appendFileSync(path.join(source, "src", "main.ts"), "\n// an edit\n");
        const second = staged(root, source);
        assert.notEqual(second.tag, first.tag);
        assert.notEqual(providerContextDigest(path.join(root, second.context)), digest);
        assert.equal(providerContextDigest(path.join(root, first.context)), digest, "the earlier stage is left as it was");
        assert.deepEqual(
            fs.readdirSync(path.join(root, stagingFolder)).sort(),
            [first.tag, second.tag].sort(),
            "no half-written stage is left behind",
        );
    });
});
