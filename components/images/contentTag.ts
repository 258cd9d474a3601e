import ignore from "@balena/dockerignore";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";

/** Every file under `dir`, relative and with `/` separators, in a stable order. */
function filesUnder(dir: string, prefix = ""): string[] {
    return fs
        .readdirSync(path.join(dir, prefix), { withFileTypes: true })
        .flatMap((entry) => {
            const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
            return entry.isDirectory() ? filesUnder(dir, relative) : entry.isFile() ? [relative] : [];
        })
        .sort();
}

/** The files Docker sends as the build context: everything `.dockerignore` does not exclude. */
export function buildContextFiles(sourceDir: string): string[] {
    const rulesFile = path.join(sourceDir, ".dockerignore");
    const rules = fs.existsSync(rulesFile) ? fs.readFileSync(rulesFile, "utf8").split(/\r?\n/) : [];
    return ignore().add(rules).filter(filesUnder(sourceDir));
}

/**
 * The image tag of a source folder: a hash of the build context's paths and contents. The same
 * source always gets the same tag (an unchanged service is neither rebuilt nor redeployed), and
 * any change that reaches the image gets a new one.
 */
export function contentTag(sourceDir: string): string {
    const hash = createHash("sha256");
    for (const file of buildContextFiles(sourceDir)) {
        hash.update(file).update("\0").update(fs.readFileSync(path.join(sourceDir, file))).update("\0");
    }
    return `src-${hash.digest("hex").slice(0, 16)}`;
}
