import ignore from "@balena/dockerignore";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";

/** One file of a build context as the image sees it: its path, whether it runs, its bytes. */
export interface ContextEntry {
    /** Path inside the context, `/`-separated. */
    readonly path: string;
    readonly kind: "file" | "executable" | "symlink";
    /** SHA-256 of the content (of the link target, for a symlink). */
    readonly sha256: string;
}

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

/**
 * The tag of an image built from these files with these build settings: `src-` and 16 hex digits of
 * a SHA-256 over both. Order-independent, so it names the content, not how it was listed; any
 * changed byte, path, executable bit or setting gives another tag.
 */
export function contentTag(entries: readonly ContextEntry[], settings: Readonly<Record<string, string>>): string {
    const hash = createHash("sha256");
    for (const entry of [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
        hash.update(`${JSON.stringify([entry.path, entry.kind, entry.sha256])}\n`);
    }
    for (const key of Object.keys(settings).sort()) {
        hash.update(`${JSON.stringify([key, settings[key]])}\n`);
    }
    return `src-${hash.digest("hex").slice(0, 16)}`;
}

/** The Dockerfile and .dockerignore shape the image even where .dockerignore leaves them out of the context. */
const alwaysHashed = ["Dockerfile", ".dockerignore"];

function readEntry(dir: string, relative: string): ContextEntry | undefined {
    const full = path.join(dir, ...relative.split("/"));
    const stat = fs.lstatSync(full, { throwIfNoEntry: false });
    if (stat?.isSymbolicLink()) {
        return { path: relative, kind: "symlink", sha256: sha256(fs.readlinkSync(full)) };
    }
    if (!stat?.isFile()) {
        return undefined;
    }
    return { path: relative, kind: stat.mode & 0o111 ? "executable" : "file", sha256: sha256(fs.readFileSync(full)) };
}

/**
 * The files `docker build` sends from `dir`: every file .dockerignore does not exclude, read with
 * Docker's own matching rules, plus the Dockerfile and .dockerignore themselves.
 */
export function contextEntries(dir: string): ContextEntry[] {
    const ignoreFile = path.join(dir, ".dockerignore");
    const patterns = fs.existsSync(ignoreFile) ? fs.readFileSync(ignoreFile, "utf8").split(/\r?\n/) : [];
    const rules = ignore().add(patterns);
    // Without `!` exceptions nothing under an excluded folder can come back, so it is not walked.
    const hasExceptions = patterns.some((p) => p.trim().startsWith("!"));
    const found: string[] = [];
    const walk = (relativeDir: string) => {
        for (const item of fs.readdirSync(path.join(dir, ...relativeDir.split("/").filter(Boolean)), { withFileTypes: true })) {
            const relative = relativeDir ? `${relativeDir}/${item.name}` : item.name;
            if (item.isDirectory()) {
                if (hasExceptions || !rules.ignores(relative)) {
                    walk(relative);
                }
            } else if (!rules.ignores(relative)) {
                found.push(relative);
            }
        }
    };
    walk("");
    const paths = new Set([...found, ...alwaysHashed]);
    return [...paths].map((p) => readEntry(dir, p)).filter((e): e is ContextEntry => e !== undefined);
}

/** The content tag of the image built from `dir` with `settings` (platform, Dockerfile, build arguments). */
export function sourceTag(dir: string, settings: Readonly<Record<string, string>>): string {
    return contentTag(contextEntries(dir), settings);
}
