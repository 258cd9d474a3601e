import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import {
    crossGuardPolicies,
    crossGuardPolicy,
    type PolicyResource,
    type PolicyResourceOptions,
    profileOf,
    type ResourceValidationArgs,
    type ResourceValidationPolicy,
    type StackValidationPolicy,
} from "../../policy/pack";
import { rdsBackupRetention, rdsProtected } from "../../policy/rules/database";
import { type Enforcement, rules } from "../../policy/rules";
import { vpcFlowLogs } from "../../policy/rules/network";
import { listStacks } from "../../tools/engine/stackFiles";
import { policyConfigFiles, policyConfigPath } from "../../tools/policyConfig";
import { projectDir } from "../harness";

const options = (protect: boolean): PolicyResourceOptions => ({
    protect,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
});

/** The arguments CrossGuard passes `validateResource`, with the policy config of a stack. */
function validationArgs(type: string, props: Record<string, unknown>, protect: boolean, config: object): ResourceValidationArgs {
    return {
        type,
        props,
        urn: `urn:pulumi:production::platform::${type}::db`,
        name: "db",
        opts: options(protect),
        stackTags: new Map(),
        isType: () => false,
        asType: () => undefined,
        getConfig: <T extends object>() => config as T,
        notApplicable: (reason?: string): never => {
            throw new Error(reason);
        },
    };
}

/** Runs a resource policy as the CrossGuard server does and returns what it reported. */
function reportedBy(policy: ResourceValidationPolicy | StackValidationPolicy, args: ResourceValidationArgs): string[] {
    const reported: string[] = [];
    assert.ok("validateResource" in policy && policy.validateResource, `${policy.name} validates resources`);
    for (const validate of [policy.validateResource].flat()) {
        void validate(args, (message) => reported.push(message));
    }
    return reported;
}

function policyResource(type: string, name: string, propertyDependencies: Record<string, PolicyResource[]> = {}): PolicyResource {
    return {
        type,
        name,
        urn: `urn:pulumi:production::platform::${type}::${name}`,
        props: {},
        opts: options(false),
        dependencies: Object.values(propertyDependencies).flat(),
        propertyDependencies,
        isType: () => false,
        asType: () => undefined,
    };
}

const strictness: Record<Enforcement, number> = { disabled: 0, advisory: 1, mandatory: 2, remediate: 2 };

describe("policy pack (CrossGuard)", () => {
    it("offers every rule as one policy, under a unique name", () => {
        const names = crossGuardPolicies().map((policy) => policy.name);
        assert.deepEqual(names, rules.map((rule) => rule.name));
        assert.equal(new Set(names).size, names.length);
        assert.ok(names.every((name) => /^[a-z0-9]+(-[a-z0-9]+)*$/.test(name)), "kebab-case names");
    });

    it("reports a resource's violation, reading the protect option from the resource options", () => {
        const policy = crossGuardPolicy(rdsProtected);
        const db = { engine: "postgres", multiAz: true };
        assert.deepEqual(reportedBy(policy, validationArgs("aws:rds/instance:Instance", db, false, { profile: "production" })), [
            "the protect option is not set: pulumi destroy, or a change that replaces the instance, deletes the database",
        ]);
        assert.deepEqual(reportedBy(policy, validationArgs("aws:rds/instance:Instance", db, true, { profile: "production" })), []);
    });

    it("takes the thresholds of the profile its config names", () => {
        const policy = crossGuardPolicy(rdsBackupRetention);
        const db = { backupRetentionPeriod: 7 };
        assert.deepEqual(reportedBy(policy, validationArgs("aws:rds/instance:Instance", db, false, { profile: "dev" })), []);
        assert.equal(reportedBy(policy, validationArgs("aws:rds/instance:Instance", db, false, { profile: "production" })).length, 1);
    });

    it("holds a stack without a policy config to production: production's thresholds and enforcement", () => {
        assert.equal(profileOf({}), "production");
        assert.equal(profileOf({ profile: "staging" }), "production");
        for (const rule of rules) {
            assert.equal(crossGuardPolicy(rule).enforcementLevel, rule.enforcement.production, rule.name);
        }
        assert.equal(reportedBy(crossGuardPolicy(rdsBackupRetention), validationArgs("aws:rds/instance:Instance", { backupRetentionPeriod: 7 }, false, {})).length, 1);
    });

    it("leaves resources of other types alone", () => {
        assert.deepEqual(reportedBy(crossGuardPolicy(rdsProtected), validationArgs("aws:s3/bucket:Bucket", {}, false, {})), []);
    });

    it("judges a stack through where each property came from", () => {
        const policy = crossGuardPolicy(vpcFlowLogs);
        assert.ok("validateStack" in policy);
        const vpc = policyResource("aws:ec2/vpc:Vpc", "vpc");
        const flowLog = policyResource("aws:ec2/flowLog:FlowLog", "flow-log", { vpcId: [vpc] });
        const run = (resources: PolicyResource[]) => {
            const reported: { message: string; urn?: string }[] = [];
            void policy.validateStack(
                { resources, stackTags: new Map(), getConfig: <T extends object>() => ({ profile: "production" }) as T, notApplicable: (): never => {
                    throw new Error("not applicable");
                } },
                (message, urn) => reported.push({ message, urn }),
            );
            return reported;
        };
        assert.deepEqual(run([vpc, flowLog]), []);
        assert.deepEqual(run([vpc]), [{ message: "VPC vpc has no flow log: its traffic leaves no record to investigate", urn: vpc.urn }]);
    });
});

describe("policy config per stack", () => {
    for (const { file, expected } of policyConfigFiles(projectDir)) {
        it(`${path.relative(projectDir, file)} gives every policy its enforcement for the stack's profile (npm run docs)`, () => {
            assert.ok(fs.existsSync(file), `${file} is missing: run npm run docs`);
            assert.equal(fs.readFileSync(file, "utf8"), expected, `${file} is stale: run npm run docs`);
        });
    }

    it("has no config for a stack that does not exist", () => {
        const stacks = new Set(listStacks(projectDir).map((stack) => policyConfigPath(projectDir, stack)));
        const files = fs.readdirSync(path.join(projectDir, "policy")).filter((f) => /^config\..+\.json$/.test(f));
        assert.deepEqual(files.map((f) => path.join(projectDir, "policy", f)).filter((f) => !stacks.has(f)), []);
    });

    it("is never laxer in production than in dev", () => {
        for (const rule of rules) {
            assert.ok(strictness[rule.enforcement.production] >= strictness[rule.enforcement.dev], rule.name);
            assert.notEqual(rule.enforcement.production, "disabled", `${rule.name} must run in production`);
        }
    });
});

describe("policy documentation", () => {
    it("docs/policy.md lists every rule with its enforcement in dev and in production", () => {
        const doc = fs.readFileSync(path.join(projectDir, "docs", "policy.md"), "utf8");
        const rows = new Map([...doc.matchAll(/^\| `([a-z0-9-]+)` \| (\w+) \| (\w+) \|/gm)].map((m) => [m[1], { dev: m[2], production: m[3] }]));
        assert.deepEqual([...rows.keys()].sort(), rules.map((rule) => rule.name).sort());
        for (const rule of rules) {
            assert.deepEqual(rows.get(rule.name), rule.enforcement, rule.name);
        }
    });
});

describe("policy package", () => {
    const manifest = (dir: string) => JSON.parse(fs.readFileSync(path.join(projectDir, dir, "package.json"), "utf8"));

    it("is built with the program's Pulumi SDK and compiler", () => {
        const pack = manifest("policy");
        const root = manifest(".");
        assert.equal(pack.dependencies["@pulumi/pulumi"], root.dependencies["@pulumi/pulumi"], "one Pulumi SDK for the program and its policies");
        assert.equal(pack.devDependencies.typescript, root.devDependencies.typescript, "the pack is type-checked by the same compiler");
    });

    it("installs exactly what its lock file pins (npm ci --prefix policy)", () => {
        const pack = manifest("policy");
        const lock = JSON.parse(fs.readFileSync(path.join(projectDir, "policy", "package-lock.json"), "utf8"));
        assert.deepEqual(lock.packages[""].dependencies, pack.dependencies);
        assert.deepEqual(lock.packages[""].devDependencies, pack.devDependencies);
        for (const [name, version] of Object.entries({ ...pack.dependencies, ...pack.devDependencies })) {
            assert.equal(lock.packages[`node_modules/${name}`]?.version, version, name);
        }
    });
});
