import ignore from "@balena/dockerignore";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";

/** Every file under `dir` that `skip` keeps, relative and with `/` separators; ignored folders are not entered. */
function filesUnder(dir: string, skip: (relative: string) => boolean, prefix = ""): string[] {
    return fs
        .readdirSync(path.join(dir, prefix), { withFileTypes: true })
        .flatMap((entry) => {
            const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
            if (skip(relative)) {
                return [];
            }
            return entry.isDirectory() ? filesUnder(dir, skip, relative) : entry.isFile() ? [relative] : [];
        })
        .sort();
}

/** The files Docker sends as the build context: everything `.dockerignore` does not exclude. */
export function buildContextFiles(sourceDir: string): string[] {
    const rulesFile = path.join(sourceDir, ".dockerignore");
    const rules = fs.existsSync(rulesFile) ? fs.readFileSync(rulesFile, "utf8").split(/\r?\n/) : [];
    const rulesIgnore = ignore().add(rules);
    // A folder is skipped whole only when no rule re-includes something (`!pattern`) beneath it.
    const reincludes = rules.some((rule) => rule.trim().startsWith("!"));
    return filesUnder(sourceDir, (relative) => !reincludes && rulesIgnore.ignores(relative)).filter((file) => !rulesIgnore.ignores(file));
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
