import * as fs from "fs";
import * as path from "path";
import { mustRun } from "./commands";
import type { ContainerHost } from "./containerHost";

/** Debian's mirror for debootstrap; `DEBIAN_MIRROR` overrides. */
export const debianMirror = process.env.DEBIAN_MIRROR ?? "http://deb.debian.org/debian";

const keyring = "/usr/share/keyrings/debian-archive-keyring.gpg";

/** What slim images leave out too: package caches and lists, documentation, translations. */
const trimmed = ["var/cache/apt/archives", "var/lib/apt/lists", "usr/share/doc", "usr/share/man", "usr/share/info", "usr/share/locale"];

/**
 * Stand-ins for the Dockerfile's pinned bases, made here because no public image can be pulled:
 * `runtime` is Debian bookworm (minbase) with Debian's nodejs; `build` adds npm and trusts what
 * this machine trusts, so `npm ci` works behind a TLS-inspecting proxy as well as without one.
 */
export async function buildDebianNodeBases(host: ContainerHost, dir: string): Promise<{ runtime: string; build: string }> {
    const rootfs = path.join(dir, "rootfs");
    const keyringArgs = fs.existsSync(keyring) ? [`--keyring=${keyring}`] : [];
    await mustRun("debootstrap", ["--variant=minbase", "--include=nodejs", ...keyringArgs, "bookworm", rootfs, debianMirror]);
    for (const part of trimmed) {
        fs.rmSync(path.join(rootfs, part), { recursive: true, force: true });
    }
    fs.mkdirSync(path.join(rootfs, "var/lib/apt/lists/partial"), { recursive: true });
    const tarball = path.join(dir, "rootfs.tar");
    await mustRun("tar", ["-C", rootfs, "-cf", tarball, "."]);
    fs.rmSync(rootfs, { recursive: true, force: true });

    const runtime = "localhost/debian-node:bookworm";
    await host.podman(["import", "--change", 'CMD ["node"]', tarball, runtime]);
    fs.rmSync(tarball);

    const context = path.join(dir, "build-base");
    fs.mkdirSync(context, { recursive: true });
    const lines = [
        `FROM ${runtime}`,
        "RUN apt-get update && apt-get install -y --no-install-recommends npm && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb",
    ];
    const trustStore = process.env.SSL_CERT_FILE ?? "/etc/ssl/certs/ca-certificates.crt";
    if (fs.existsSync(trustStore)) {
        fs.copyFileSync(trustStore, path.join(context, "host-ca.crt"));
        lines.push("COPY host-ca.crt /etc/ssl/certs/host-ca.crt", "ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/host-ca.crt");
    }
    fs.writeFileSync(path.join(context, "Containerfile"), `${lines.join("\n")}\n`);
    const build = "localhost/debian-node-npm:bookworm";
    await host.podman(["build", "--network", "host", "--tag", build, context]);
    return { runtime, build };
}
