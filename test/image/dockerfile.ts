import * as fs from "fs";
import * as path from "path";

/** The example service's folder, whose Dockerfile the image tests build. */
export const serviceDir = path.resolve(__dirname, "..", "..", "services", "api");

/** The defaults of a Dockerfile's `ARG NAME=value` lines. */
export function dockerfileArgs(text: string): Record<string, string> {
    const args: Record<string, string> = {};
    for (const match of text.matchAll(/^ARG\s+([A-Za-z_][A-Za-z0-9_]*)=(\S+)\s*$/gm)) {
        args[match[1]] = match[2];
    }
    return args;
}

/** The example service Dockerfile's build arguments. */
export const serviceDockerfileArgs = () => dockerfileArgs(fs.readFileSync(path.join(serviceDir, "Dockerfile"), "utf8"));

/** What Node's official image tag says: `node:<version>-<debian release>-slim`, pinned by digest. */
export function officialNodeImage(reference: string): { version: string; release: string; digest: string } | undefined {
    const match = /^node:(\d+\.\d+\.\d+)-([a-z]+)-slim@(sha256:[0-9a-f]{64})$/.exec(reference);
    return match ? { version: match[1], release: match[2], digest: match[3] } : undefined;
}
