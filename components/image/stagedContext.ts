import * as fs from "fs";
import * as path from "path";
import type { ContextEntry } from "./contentTag";

/** Where builds are staged, relative to the project folder (gitignored; any of it may be deleted at any time). */
export const stagingFolder = ".build/images";

/**
 * The mode a staged file gets: what a checkout under umask 0022 gives, whatever the umask of this one.
 * The docker provider hashes each file's full mode string into `build.contextDigest`
 * (pulumi/pulumi-docker provider/provider.go, hashContext and hashPath: `fileMode.String()`), and a
 * changed digest is an update that rebuilds and pushes again to the same immutable tag.
 */
export const stagedMode = (kind: ContextEntry["kind"]) => (kind === "executable" ? 0o755 : 0o644);

/** Copies `entries` from `source` into `target` (which must not exist), every mode normalized. */
function copyEntries(source: string, entries: readonly ContextEntry[], target: string): void {
    fs.mkdirSync(target, { recursive: true });
    fs.chmodSync(target, 0o755);
    for (const entry of entries) {
        const parts = entry.path.split("/");
        // Directory modes do not enter the digest, but they do enter the image.
        for (let depth = 1; depth < parts.length; depth++) {
            const dir = path.join(target, ...parts.slice(0, depth));
            if (!fs.existsSync(dir)) {
                fs.mkdirSync(dir);
                fs.chmodSync(dir, 0o755);
            }
        }
        const from = path.join(source, ...parts);
        const to = path.join(target, ...parts);
        if (entry.kind === "symlink") {
            fs.symlinkSync(fs.readlinkSync(from), to);
        } else {
            fs.copyFileSync(from, to);
            fs.chmodSync(to, stagedMode(entry.kind));
        }
    }
}

/**
 * The build context of `tag`, staged under `<projectDir>/.build/images/<tag>`: exactly the files the
 * tag covers, with normalized modes, at a path relative to the project. The provider sees the same
 * context (paths, modes, bytes) from every checkout, umask and folder, so a second `up` elsewhere
 * plans nothing. A tag names its content, so an existing stage is reused as it is.
 * Returns the context relative to `projectDir`.
 */
export function stageContext(projectDir: string, source: string, entries: readonly ContextEntry[], tag: string): string {
    const relative = `${stagingFolder}/${tag}`;
    const target = path.join(projectDir, ...relative.split("/"));
    if (fs.existsSync(target)) {
        return relative;
    }
    // Staged beside the target and renamed into place, so a build never sees a half-written context.
    const partial = `${target}.partial-${process.pid}-${Date.now()}`;
    try {
        copyEntries(source, entries, partial);
        fs.renameSync(partial, target);
    } catch (error) {
        if (!fs.existsSync(target)) {
            throw error;
        }
        // Another run staged the same tag meanwhile: same content, keep theirs.
    } finally {
        fs.rmSync(partial, { recursive: true, force: true });
    }
    return relative;
}
