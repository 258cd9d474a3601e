import * as fs from "fs";
import * as path from "path";
import { generatedFiles } from "./configDocs";
import { policyConfigFiles } from "./policyConfig";
import { releaseExcerptFromExamples, withExcerpt } from "./readmeExamples";

// Regenerates the config reference in README.md and the key declarations in Pulumi.yaml from
// config/, each stack's policy config from policy/rules/, and the README's release diff excerpt
// by running its release example. With --check, changes nothing and fails when any is stale.
const projectDir = path.resolve(__dirname, "..");
const check = process.argv.includes("--check");
let stale = 0;

function settle(file: string, expected: string): void {
    if (fs.existsSync(file) && fs.readFileSync(file, "utf8") === expected) {
        return;
    }
    if (check) {
        console.error(`${path.relative(projectDir, file)} is stale: run npm run docs`);
        stale++;
    } else {
        fs.writeFileSync(file, expected);
        console.log(`updated ${path.relative(projectDir, file)}`);
    }
}

for (const { file, expected } of [...generatedFiles(projectDir), ...policyConfigFiles(projectDir)]) {
    settle(file, expected);
}
// After the config reference, so it starts from the README that step wrote.
const readme = path.join(projectDir, "README.md");
const current = fs.readFileSync(readme, "utf8");
let excerptFailed = false;
try {
    settle(readme, withExcerpt(current, releaseExcerptFromExamples(current)));
} catch (error) {
    // The other files are written: a broken release example must not hold up the config reference.
    console.error(`README.md's release diff excerpt was not regenerated: ${error instanceof Error ? error.message : String(error)}`);
    excerptFailed = true;
}
process.exitCode = stale > 0 || excerptFailed ? 1 : 0;
