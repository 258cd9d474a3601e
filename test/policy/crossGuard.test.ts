import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import type { Profile } from "../../config/profile";
import { policyPackConfig, reviewStack, type Rule, rules, stopsUpdate } from "../../policy/rules";
import { reviewedResources, stackProfile } from "../../tools/policyCheck";
import { listStacks } from "../../tools/engine/stackFiles";
import { projectDir, render } from "../harness";
import type { AnalyzerRound, EngineResource, RoundFindings } from "./crossGuard";
import { engineResources, renderedCase, ruleCases, sealedPaths } from "./ruleCases";
import type { Rendered } from "../../tools/engine/model";

/** Plays rounds through the pack under Pulumi's policy runner, in a process of its own. */
function runPack(rounds: AnalyzerRound[]): RoundFindings[] {
    const run = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", path.join("test", "policy", "crossGuard.ts")], {
        cwd: projectDir,
        input: JSON.stringify(rounds),
        encoding: "utf8",
        timeout: 170_000,
        maxBuffer: 64 * 1024 * 1024,
    });
    assert.equal(run.status, 0, `the policy pack did not run under Pulumi's policy runner:\n${run.stderr}`);
    return JSON.parse(run.stdout) as RoundFindings[];
}

const configFor = (profile: Profile) => policyPackConfig(profile, rules);

/** A render as the engine hands it to the analyzer: inputs to Analyze, the stack's outputs to AnalyzeStack. */
function fromRender(rendered: Rendered): EngineResource[] {
    return rendered.resources.map((resource) => ({
        urn: resource.urn,
        type: resource.type,
        name: resource.name,
        inputs: resource.type === "pulumi:pulumi:Stack" ? {} : resource.inputs,
        ...(resource.type === "pulumi:pulumi:Stack" ? { outputs: rendered.outputs } : {}),
        protect: resource.options.protect === true,
        ...(resource.parent ? { parent: resource.parent } : {}),
        propertyDependencies: resource.propertyDependencies,
    }));
}

const firing = (findings: RoundFindings, rule: Rule) => [
    ...findings.diagnostics.filter((d) => d.policyName === rule.name).map((d) => `${d.enforcementLevel}: ${d.message}`),
    ...findings.remediations.filter((r) => r.policyName === rule.name).map((r) => `remediated ${r.urn}`),
];

const offline = (rule: Rule, resources: Parameters<typeof renderedCase>[0], profile: Profile) =>
    reviewStack(reviewedResources(renderedCase(resources)), profile, [rule])[0].violations.map((v) => v.message);

/** The value at a path of a render-notation object, and whether it (or what encloses it) is marked secret. */
function sealedAt(value: unknown, keys: readonly string[]): boolean {
    let current = value;
    for (const key of [...keys, undefined]) {
        if (typeof current === "object" && current !== null && "@secret" in current) {
            return true;
        }
        if (key === undefined || typeof current !== "object" || current === null) {
            return false;
        }
        current = (current as Record<string, unknown>)[key];
    }
    return false;
}

describe("policy pack under Pulumi's policy runner (CrossGuard)", function () {
    this.timeout(180_000);
    const shipped = listStacks(projectDir);
    let caseFindings: Map<string, { compliant: RoundFindings; violating: RoundFindings }>;
    let stackFindings: Map<string, RoundFindings>;

    before(async () => {
        assert.ok(fs.existsSync(path.join(projectDir, "policy", "node_modules", "@pulumi", "policy")), "install the pack's dependencies: npm ci --prefix policy");
        const renders = await Promise.all(shipped.map(async (stack) => ({ stack, rendered: (await render(stack)).rendered })));
        const cases = Object.entries(ruleCases);
        const rounds: AnalyzerRound[] = [
            ...renders.map(({ stack, rendered }) => ({ config: configFor(stackProfile(projectDir, stack)), resources: fromRender(rendered) })),
            ...cases.flatMap(([, c]) => [c.compliant, c.violating].map((resources) => ({ config: configFor(c.profile), resources: engineResources(resources) }))),
        ];
        const findings = runPack(rounds);
        stackFindings = new Map(shipped.map((stack, i) => [stack, findings[i]]));
        caseFindings = new Map(cases.map(([name], i) => [name, { compliant: findings[shipped.length + 2 * i], violating: findings[shipped.length + 2 * i + 1] }]));
    });

    it("has a breaking and a keeping case for every rule of the pack", () => {
        assert.deepEqual(Object.keys(ruleCases).sort(), rules.map((rule) => rule.name).sort());
        for (const rule of rules) {
            assert.notEqual(rule.enforcement[ruleCases[rule.name].profile], "disabled", `${rule.name}: its case runs in a profile that enforces it`);
        }
    });

    for (const rule of rules) {
        it(`${rule.name}: fires on a resource that breaks it and passes one that keeps it, under CrossGuard and offline alike`, () => {
            const { profile, compliant, violating } = ruleCases[rule.name];
            const findings = caseFindings.get(rule.name) as { compliant: RoundFindings; violating: RoundFindings };
            assert.deepEqual(firing(findings.compliant, rule), [], "the compliant case passes under CrossGuard");
            assert.deepEqual(offline(rule, compliant, profile), [], "the compliant case passes offline");
            assert.notDeepEqual(offline(rule, violating, profile), [], "the violating case fails offline");

            const level = rule.enforcement[profile];
            if (level === "remediate") {
                const remediated = findings.violating.remediations.filter((r) => r.policyName === rule.name);
                assert.equal(remediated.length, 1, "CrossGuard remediates the violating resource");
                for (const keys of sealedPaths[rule.name]) {
                    assert.ok(sealedAt(remediated[0].properties, keys), `${keys.join(".")} comes back a secret`);
                }
                assert.deepEqual(findings.violating.diagnostics.filter((d) => d.policyName === rule.name), [], "nothing is left to report once sealed");
            } else {
                const reported = findings.violating.diagnostics.filter((d) => d.policyName === rule.name);
                assert.ok(reported.length > 0, `CrossGuard reports the violation: ${JSON.stringify(findings.violating.diagnostics)}`);
                assert.ok(reported.every((d) => d.enforcementLevel === level), `at the ${profile} level, ${level}`);
            }
        });
    }

    for (const stack of ["dev", "production"]) {
        it(`the shipped ${stack} stack passes every rule that stops an update, as pulumi up --policy-pack would run them`, () => {
            const findings = stackFindings.get(stack) as RoundFindings;
            const stopping = findings.diagnostics.filter((d) => stopsUpdate(d.enforcementLevel as Rule["enforcement"]["dev"]));
            assert.deepEqual(stopping, []);
            assert.deepEqual(findings.remediations, [], "nothing needed sealing");
        });
    }
});
