import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { projectDir } from "../harness";
import type { AnalyzerRound, Diagnostic } from "./crossGuard";

/** A database that breaks the rules a dev stack waives and the ones it does not. */
const careless: AnalyzerRound["resources"][number] = {
    type: "aws:rds/instance:Instance",
    name: "db",
    props: { engine: "postgres", publiclyAccessible: true, storageEncrypted: true, kmsKeyId: "arn:aws:kms:eu-west-1:123456789012:key/db", backupRetentionPeriod: 7 },
    protect: false,
};

function runPack(rounds: AnalyzerRound[]): Diagnostic[][] {
    const run = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", path.join("test", "policy", "crossGuard.ts")], {
        cwd: projectDir,
        input: JSON.stringify(rounds),
        encoding: "utf8",
        timeout: 110_000,
    });
    assert.equal(run.status, 0, `the policy pack did not run under Pulumi's policy runner:\n${run.stderr}`);
    return JSON.parse(run.stdout) as Diagnostic[][];
}

describe("policy pack under Pulumi's policy runner", function () {
    this.timeout(120_000);

    it("loads as `pulumi preview --policy-pack policy` loads it and enforces each rule at its stack's level", () => {
        assert.ok(fs.existsSync(path.join(projectDir, "policy", "node_modules", "@pulumi", "policy")), "install the pack's dependencies: npm ci --prefix policy");
        const configOf = (stack: string) => JSON.parse(fs.readFileSync(path.join(projectDir, "policy", `config.${stack}.json`), "utf8"));
        const findings = runPack(["dev", "production"].map((stack) => ({ config: configOf(stack), resources: [careless] })));
        const byPolicy = (diagnostics: Diagnostic[]) => Object.fromEntries(diagnostics.map((d) => [d.policyName, d.enforcementLevel]));
        const [dev, production] = findings.map(byPolicy);

        assert.equal(dev["rds-not-public"], "mandatory", "a public database stops a dev update");
        assert.equal(dev["rds-protected"], undefined, "dev databases may be destroyed");
        assert.equal(dev["rds-backup-retention"], undefined, "a week of backups is plenty for dev");

        assert.equal(production["rds-not-public"], "mandatory");
        assert.equal(production["rds-protected"], "mandatory", "an unprotected production database stops the update");
        assert.equal(production["rds-backup-retention"], "mandatory", "production keeps two weeks");
        assert.match(findings[1].find((d) => d.policyName === "rds-protected")?.message ?? "", /protect option is not set/);
    });
});
