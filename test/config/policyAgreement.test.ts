import { strict as assert } from "assert";
import fc from "fast-check";
import type { Profile } from "../../config/profile";
import { rulesNoConfigReaches, rulesRefusedByConfig } from "../../config/policyAgreement";
import { controlPlaneLogTypes, requiredLogTypes } from "../../policy/rules/cluster";
import { minimumBackupDays } from "../../policy/rules/database";
import { type Rule, rules, stopsUpdate } from "../../policy/rules";
import { renderStack } from "../../tools/engine/render";
import { blocking, checkRender, formatOutcomes } from "../../tools/policyCheck";
import { projectDir } from "../harness";
import { defaultPodConfig } from "../services/bluegreenFixtures";
import { problemsOf } from "./source";

// Config and policy cannot disagree: a config the policy pack would stop is refused first, naming
// the key. The thresholds come from the rules themselves (config/policyAgreement.ts).

const profiles: Profile[] = ["dev", "production"];
const stopsIn = (rule: Rule) => profiles.filter((profile) => stopsUpdate(rule.enforcement[profile]));
const api = { name: "api", source: "services/api" };
const production = { "platform:services[0].ingress": { host: "api.example.com", certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/0c5b6f2e-8d1a-4b7e-9f3c-2a6d4e8b1c70" } };
const runs = { numRuns: 20 };

/** Whether a line refuses the key (`services[].env` matches `services[0].env.TOKEN`). */
const names = (line: string, key: string) => {
    const pattern = key.replaceAll(".", "\\.").replaceAll("[]", "\\[\\d+\\]");
    return new RegExp(`^(platform:)?${pattern}([.[:]|$)`).test(line);
};

/** For each rule the config holds to, configs that would break it (each refused naming one of the rule's keys). */
const breaking: Record<string, (profile: Profile) => fc.Arbitrary<Record<string, unknown>>> = {
    "rds-backup-retention": (profile) => fc.integer({ min: 0, max: minimumBackupDays[profile] - 1 }).map((days) => ({ "platform:database.backupRetentionDays": days })),
    "rds-multi-az": () => fc.constant({ "platform:database.multiAz": false }),
    "eks-control-plane-logging": (profile) =>
        fc.subarray([...controlPlaneLogTypes]).filter((types) => requiredLogTypes[profile].some((t) => !types.includes(t as never))).map((logTypes) => ({ "platform:cluster.logTypes": logTypes })),
    "eks-endpoint-restricted": () => fc.constant({ "platform:cluster.publicAccessCidrs": ["203.0.113.0/24", "0.0.0.0/0"] }),
    "k8s-no-secret-literals": () =>
        fc.oneof(
            fc.tuple(fc.constantFrom("DB_PASSWORD", "API_KEY", "GITHUB_TOKEN", "CLIENT_SECRET", "AWS_SECRET_ACCESS_KEY", "PRIVATE_KEY"), fc.string({ minLength: 1 })).map(([name, value]) => ({ [`platform:services[0].env.${name}`]: value })),
            fc.stringMatching(/^[a-z]{1,8}$/).map((password) => ({ "platform:services[0].env.DATABASE_URL": `postgres://app:${password}@db:5432/app` })),
        ),
    "k8s-image-by-digest": () => fc.constantFrom("nginx:1.27.3", "public.ecr.aws/nginx/nginx:1.27").map((image) => ({ "platform:services": [{ name: "proxy", image, strategy: "rolling", ingress: { enabled: false } }] })),
    "k8s-no-latest-tag": () =>
        fc.constantFrom<Record<string, unknown>>(
            { "platform:services": [{ name: "proxy", image: "nginx:latest", strategy: "rolling", ingress: { enabled: false } }] },
            { "platform:services": [{ ...api, strategy: "rolling", release: { version: "latest" } }] },
            { "platform:services": [{ ...api, strategy: "blueGreen", release: { active: "blue", colors: { blue: { number: 1, version: "latest", config: defaultPodConfig("dev") } } } }] },
        ),
    "k8s-probes": () => fc.constant({ "platform:services[0].probes": { livenessPath: "/health/ready", readinessPath: "/health/ready" } }),
    "k8s-ingress-tls": () => fc.constant({ "platform:services[0].ingress": { enabled: true } }),
    "k8s-no-public-preview": () => fc.subarray(["203.0.113.0/24", "198.51.100.0/24"]).map((cidrs) => ({ "platform:services[0].blueGreen.preview.sourceCidrs": [...cidrs, "0.0.0.0/0"] })),
    "secrets-marked-secret": () => fc.constant({ "platform:services[0].secrets": ["TOKEN"], "platform:serviceSecrets": { api: { TOKEN: "in plain text" } } }),
};

describe("config and policy cannot disagree", () => {
    it("knows, for every rule that stops an update, whether a config value can break it", () => {
        const stopping = rules.filter((rule) => stopsIn(rule).length > 0).map((rule) => rule.name);
        const listed = [...Object.keys(rulesRefusedByConfig), ...Object.keys(rulesNoConfigReaches)];
        assert.deepEqual([...listed].sort(), [...stopping].sort(), "each stopping rule is listed once: refused by the config, or out of its reach");
        assert.equal(new Set(listed).size, listed.length);
        assert.deepEqual(Object.keys(breaking).sort(), Object.keys(rulesRefusedByConfig).sort(), "each rule the config holds to has configs that break it");
    });

    for (const [ruleName, keys] of Object.entries(rulesRefusedByConfig)) {
        const rule = rules.find((r) => r.name === ruleName) as Rule;
        for (const profile of stopsIn(rule)) {
            it(`${ruleName} (${profile}): every config that would break it is refused, naming ${keys.join(" or ")}`, () => {
                fc.assert(
                    fc.property(breaking[ruleName](profile), (overrides) => {
                        const problems = problemsOf(profile, { ...(profile === "production" ? production : {}), ...overrides });
                        assert.ok(problems.some((line) => keys.some((key) => names(line, key))), `${JSON.stringify(overrides)} was not refused at ${keys}: ${JSON.stringify(problems)}`);
                    }),
                    runs,
                );
            });
        }
    }

    it("takes each threshold from the rule: a backup retention at the rule's minimum is accepted", () => {
        for (const profile of profiles) {
            assert.deepEqual(problemsOf(profile, { "platform:database.backupRetentionDays": minimumBackupDays[profile] }), []);
        }
    });
});

describe("config and policy cannot disagree, on renders", function () {
    this.timeout(300_000);

    /** Configs the knobs allow, some of them refused; every accepted one must render to a stack the pack lets through. */
    const likely = <T>(usual: fc.Arbitrary<T>, other: fc.Arbitrary<T>) => fc.oneof({ arbitrary: usual, weight: 4 }, { arbitrary: other, weight: 1 });
    const configs = fc.record(
        {
            "platform:database.backupRetentionDays": likely(fc.integer({ min: 14, max: 35 }), fc.integer({ min: 0, max: 13 })),
            "platform:database.multiAz": likely(fc.constant(true), fc.constant(false)),
            "platform:cluster.logTypes": likely(fc.constant<string[]>([...controlPlaneLogTypes]), fc.subarray<string>([...controlPlaneLogTypes])),
            "platform:services[0].strategy": fc.constantFrom("rolling", "blueGreen"),
            "platform:services[0].env": fc.dictionary(likely(fc.constantFrom("LOG_LEVEL", "FEATURE"), fc.constantFrom("API_TOKEN", "DATABASE_URL")), likely(fc.constantFrom("info", "x"), fc.constant("postgres://a:b@db/app"))),
            "platform:services[0].autoscaling.enabled": fc.boolean(),
            "platform:services[0].ingress.enabled": fc.boolean(),
            "platform:services[0].rollout.maxSurge": fc.constantFrom(0, 1, "0%", "25%"),
            "platform:services[0].rollout.maxUnavailable": fc.constantFrom(0, 1, "0%", "50%"),
            "platform:services[0].blueGreen.preview.sourceCidrs": likely(fc.constant<string[]>(["203.0.113.0/24"]), fc.constant<string[]>(["0.0.0.0/0"])),
        },
        { requiredKeys: [] },
    );

    for (const profile of profiles) {
        it(`every ${profile} config the validation accepts renders to a stack that no rule stops`, async () => {
            let accepted = 0;
            await fc.assert(
                fc.asyncProperty(configs, async (overrides) => {
                    if (problemsOf(profile, overrides).length > 0) {
                        return;
                    }
                    accepted++;
                    const outcomes = checkRender(await renderStack({ projectDir, stack: profile, overrides }), profile);
                    assert.deepEqual(blocking(outcomes).map((outcome) => outcome.rule.name), [], `${JSON.stringify(overrides)}\n${formatOutcomes(blocking(outcomes), profile, profile)}`);
                }),
                { numRuns: 30 },
            );
            assert.ok(accepted > 0, "some generated configs were accepted and rendered");
        });
    }
});
