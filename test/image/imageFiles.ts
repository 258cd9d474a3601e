import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";

/** One entry of an image's root filesystem that is not a directory. */
export interface ImageEntry {
    /** Absolute, as the container sees it. */
    readonly path: string;
    readonly kind: "file" | "link";
    readonly size: number;
    /** Executable by anyone (files only). */
    readonly executable: boolean;
    /** What a link points to, as written. */
    readonly target?: string;
}

/** Every file and link under `root` (a mounted image), with paths as the container sees them. */
export function imageEntries(root: string): ImageEntry[] {
    const entries: ImageEntry[] = [];
    const walk = (dir: string) => {
        for (const dirent of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
            const here = path.posix.join(dir, dirent.name);
            const stat = fs.lstatSync(path.join(root, here));
            if (stat.isDirectory()) {
                walk(here);
            } else if (stat.isSymbolicLink()) {
                entries.push({ path: here, kind: "link", size: stat.size, executable: false, target: fs.readlinkSync(path.join(root, here)) });
            } else {
                entries.push({ path: here, kind: "file", size: stat.size, executable: (stat.mode & 0o111) !== 0 });
            }
        }
    };
    walk("/");
    return entries.sort((a, b) => a.path.localeCompare(b.path));
}

/** Where a link of the image leads, resolved inside the image (`/lib64` -> `usr/lib64` is `/usr/lib64`). */
export function linkDestination(link: ImageEntry): string {
    return path.posix.resolve(path.posix.dirname(link.path), link.target ?? "");
}

/** The MD5 digest of a file of the mounted image, as dpkg's md5sums writes it. */
export const md5Of = (root: string, file: string) => createHash("md5").update(fs.readFileSync(path.join(root, file))).digest("hex");

/** A dpkg control paragraph's fields (`Package: libc6` ...), continuation lines left out. */
export function controlFields(text: string): Record<string, string> {
    const fields: Record<string, string> = {};
    for (const match of text.matchAll(/^([A-Za-z0-9-]+):[ \t]*(.*)$/gm)) {
        fields[match[1]] = match[2].trim();
    }
    return fields;
}

/** The package (`libc6:amd64`) `dpkg-query --search` names for each path it found; diversion notes left out. */
export function searchOwners(output: string): Map<string, string> {
    const owners = new Map<string, string>();
    for (const line of output.split("\n")) {
        const match = /^(\S+): (\/.*)$/.exec(line);
        if (match && !line.startsWith("diversion ")) {
            owners.set(match[2], match[1]);
        }
    }
    return owners;
}

/** An md5sums file's entries: absolute path to digest. */
export function md5sumsEntries(text: string): Map<string, string> {
    const entries = new Map<string, string>();
    for (const line of text.split("\n").filter(Boolean)) {
        const [digest, file] = line.split(/  (.*)/s);
        entries.set(`/${file}`, digest);
    }
    return entries;
}

/** A package name without its architecture qualifier (`libc6:amd64` is `libc6`). */
export const packageName = (qualified: string) => qualified.split(":")[0];
