import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import { listStacks } from "../../tools/engine/stackFiles";
import { blocking, checkRender, formatOutcomes, stackProfile } from "../../tools/policyCheck";
import { projectDir, render } from "../harness";
import { renderOf } from "./fixtures";

/** A render holding one database that is public and unprotected, as a broken Database component would make it. */
const carelessDatabase = renderOf([
    {
        type: "aws:rds/instance:Instance",
        name: "db",
        inputs: {
            publiclyAccessible: true,
            storageEncrypted: true,
            kmsKeyId: "arn:aws:kms:eu-west-1:123456789012:key/db",
            multiAz: true,
            deletionProtection: true,
            backupRetentionPeriod: 14,
            finalSnapshotIdentifier: "db-final",
        },
    },
]);

describe("policy over the shipped stacks (offline render)", () => {
    for (const stack of listStacks(projectDir)) {
        it(`the ${stack} stack passes every mandatory rule of its profile`, async () => {
            const profile = stackProfile(projectDir, stack);
            const outcomes = checkRender((await render(stack)).rendered, profile);
            assert.deepEqual(
                blocking(outcomes).map((outcome) => outcome.rule.name),
                [],
                `pulumi up --policy-pack would stop:\n${formatOutcomes(blocking(outcomes), stack, profile)}`,
            );
        });
    }

    it("reports what would stop pulumi up, naming the rule and the resource", () => {
        const outcomes = checkRender(carelessDatabase, "production");
        assert.deepEqual(blocking(outcomes).map((outcome) => outcome.rule.name), ["rds-not-public", "rds-protected"]);
        const report = formatOutcomes(outcomes, "production", "production");
        assert.match(report, /rds-not-public +mandatory +1 violation\n +aws:rds\/instance:Instance::db: publiclyAccessible is true/);
        assert.match(report, /vpc-flow-logs +mandatory +nothing to check/);
        assert.match(report, /2 mandatory violations: pulumi up would stop\.$/);
    });

    it("checks a stack from the command line and exits non-zero only on a mandatory violation (npm run policy)", () => {
        const run = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "tools/policy.ts", "--stack", "production"], { cwd: projectDir, encoding: "utf8" });
        assert.equal(run.status, 0, run.stderr);
        assert.match(run.stdout, /^Policy check of stack production \(profile production\), offline:/);
        assert.match(run.stdout, /No mandatory violation\.$/m);
    });
});
