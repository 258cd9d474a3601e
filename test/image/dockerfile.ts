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
export const serviceDockerfileArgs = () => dockerfileArgs(serviceDockerfile());

/** What Node's official image tag says: `node:<version>-<debian release>-slim`, pinned by digest. */
export function officialNodeImage(reference: string): { version: string; release: string; digest: string } | undefined {
    const match = /^node:(\d+\.\d+\.\d+)-([a-z]+)-slim@(sha256:[0-9a-f]{64})$/.exec(reference);
    return match ? { version: match[1], release: match[2], digest: match[3] } : undefined;
}

/** A Dockerfile's stages in order: what each is `FROM` and its `AS` name, if any. */
export function dockerfileStages(text: string): { from: string; name?: string }[] {
    return [...text.matchAll(/^FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?\s*$/gim)].map((match) => ({ from: match[1], name: match[2]?.toLowerCase() }));
}

/** The images a Dockerfile's stages start from that are not its own earlier stages or `scratch`: what a build pulls. */
export function pulledImages(text: string): string[] {
    const stages = dockerfileStages(text);
    return [
        ...new Set(
            stages.filter(({ from }, i) => from !== "scratch" && !stages.slice(0, i).some((earlier) => earlier.name === from.toLowerCase())).map(({ from }) => from),
        ),
    ];
}

/** The example service's Dockerfile, as text. */
export const serviceDockerfile = () => fs.readFileSync(path.join(serviceDir, "Dockerfile"), "utf8");
