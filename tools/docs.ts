import * as fs from "fs";
import * as path from "path";
import { generatedFiles } from "./configDocs";
import { policyConfigFiles } from "./policyConfig";

// Regenerates the config reference in README.md and the key declarations in Pulumi.yaml from
// config/, and each stack's policy config from policy/rules/. With --check, changes nothing and
// fails when any is stale.
const projectDir = path.resolve(__dirname, "..");
const check = process.argv.includes("--check");
let stale = 0;
for (const { file, expected } of [...generatedFiles(projectDir), ...policyConfigFiles(projectDir)]) {
    if (fs.existsSync(file) && fs.readFileSync(file, "utf8") === expected) {
        continue;
    }
    if (check) {
        console.error(`${path.relative(projectDir, file)} is stale: run npm run docs`);
        stale++;
    } else {
        fs.writeFileSync(file, expected);
        console.log(`updated ${path.relative(projectDir, file)}`);
    }
}
process.exitCode = stale > 0 ? 1 : 0;
