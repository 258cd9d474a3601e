import ignore from "@balena/dockerignore";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";

// The docker provider's `build.contextDigest`, as @pulumi/docker 5.2.0 computes it in its Check
// (pulumi/pulumi-docker provider/provider.go, hashContext and hashPath; read at the mirror's head,
// which follows v5.1.0 with the same hashing): the Dockerfile first under the name "Dockerfile" with
// mode 0, then every file of the context that .dockerignore keeps, each as its path relative to the
// context, Go's `fs.FileMode.String()` and the SHA-256 of its bytes. Directories are skipped; no
// absolute path and no mtime enters it. A test oracle for regular files, which is what a context holds here.

/** Go's `fs.FileMode.String()` of a regular file: `-` and the nine permission letters. */
export function goModeString(mode: number): string {
    const letters = "rwxrwxrwx";
    return `-${[...letters].map((letter, i) => (mode & (1 << (8 - i)) ? letter : "-")).join("")}`;
}

function record(relative: string, mode: string, bytes: Buffer): Buffer {
    return Buffer.concat([Buffer.from(relative), Buffer.from(mode), createHash("sha256").update(bytes).digest(), Buffer.from([0])]);
}

/** The contextDigest the provider's Check computes for `context` (a folder of regular files). */
export function providerContextDigest(context: string): string {
    const ignoreFile = path.join(context, ".dockerignore");
    const rules = ignore().add(fs.existsSync(ignoreFile) ? fs.readFileSync(ignoreFile, "utf8").split(/\r?\n/) : []);
    const parts = [record("Dockerfile", "----------", fs.readFileSync(path.join(context, "Dockerfile")))];
    const walk = (relativeDir: string) => {
        for (const name of fs.readdirSync(path.join(context, relativeDir)).sort()) {
            const relative = relativeDir ? `${relativeDir}/${name}` : name;
            const stat = fs.lstatSync(path.join(context, relative));
            if (stat.isDirectory()) {
                walk(relative);
            } else if (!rules.ignores(relative)) {
                parts.push(record(relative, goModeString(stat.mode), fs.readFileSync(path.join(context, relative))));
            }
        }
    };
    walk("");
    return createHash("sha256").update(Buffer.concat(parts)).digest("hex");
}
