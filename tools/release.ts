import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { planAction, type ReleaseAction } from "./release/plan";
import { applyEdits, readStackFile } from "./release/stackFile";

// npm run release -- --stack production --service api --version <tag> [--live-version <tag>]
// npm run promote -- --stack production --service api
// npm run rollback -- --stack production --service api
// Edits Pulumi.<stack>.yaml in place, comments and layout kept; `pulumi up` then applies it.

function fail(message: string): never {
    process.stderr.write(`${message}\n`);
    process.exit(1);
}

function main(): void {
    const [kind, ...rest] = process.argv.slice(2);
    const { values } = parseArgs({
        args: rest,
        options: { stack: { type: "string", default: "dev" }, service: { type: "string" }, version: { type: "string" }, "live-version": { type: "string" } },
    });
    if (!values.service) {
        fail("--service <name> is required");
    }
    let action: ReleaseAction;
    if (kind === "release") {
        action = values.version ? { kind, version: values.version, liveVersion: values["live-version"] } : fail("--version <tag> is required");
    } else if (kind === "promote" || kind === "rollback") {
        action = { kind };
    } else {
        fail(`unknown action ${kind}: release, promote or rollback`);
    }

    const file = path.resolve(__dirname, "..", `Pulumi.${values.stack}.yaml`);
    if (!fs.existsSync(file)) {
        fail(`no stack file ${path.basename(file)}`);
    }
    const text = fs.readFileSync(file, "utf8");
    const { profile, services } = readStackFile(text);
    const index = services.findIndex((s) => s.name === values.service);
    if (index < 0) {
        fail(`${path.basename(file)} has no service named ${values.service}`);
    }
    const plan = planAction(services[index], index, profile, action);
    if ("refused" in plan) {
        fail(plan.refused);
    }
    fs.writeFileSync(file, applyEdits(text, plan.edits));
    process.stdout.write(`${plan.summary}\nUpdated ${path.basename(file)}; run pulumi up (or merge the change) to apply it.\n`);
}

main();
