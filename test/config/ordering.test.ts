import { strict as assert } from "assert";
import fc from "fast-check";
import { ConfigError } from "../../config";
import { renderFailure } from "../harness";

// A bad config stops the program before anything is registered: no resource, not even a provider.
// The render records every registration the mocks receive (tools/engine/monitor.ts), so what a
// failed render holds is what a real `pulumi up` would have registered.

const api = { name: "api", source: "services/api" };

/** One bad value from each class the config refuses, with the key its line must name. */
const badValues: { key: string; stack: "dev" | "production"; overrides: Record<string, unknown> }[] = [
    { key: "network.interfaceEndpoints[1]", stack: "dev", overrides: { "platform:network.interfaceEndpoints": ["sts", "sts"] } },
    { key: "services[0].rollout.maxUnavailable", stack: "dev", overrides: { "platform:services[0].rollout": { maxSurge: "0%", maxUnavailable: 0 } } },
    { key: "services[0].rollout.maxUnavailable", stack: "dev", overrides: { "platform:services[0].rollout.maxUnavailable": "150%" } },
    { key: "database.logRetentionDays", stack: "dev", overrides: { "platform:database.logRetentionDays": 13 } },
    { key: "cluster.nodeGroups[0].instanceTypes[0]", stack: "dev", overrides: { "platform:images.platform": "linux/arm64" } },
    { key: "services[0].name", stack: "dev", overrides: { "platform:services": [{ ...api, name: "kube-system" }] } },
    { key: "network.cidr", stack: "dev", overrides: { "platform:network.cidr": "ten.zero/16" } },
    { key: "services[0].source", stack: "dev", overrides: { "platform:services[0].source": "services/none" } },
    { key: "services[0].release.version", stack: "dev", overrides: { "platform:services": [{ name: "proxy", image: "nginx:1.27.3", release: { version: "1.28.0" } }] } },
    { key: "services[0].release.version", stack: "dev", overrides: { "platform:services[0].release.version": "latest" } },
    { key: "services[0].env.DB_PASSWORD", stack: "dev", overrides: { "platform:services[0].env.DB_PASSWORD": "hunter2" } },
    { key: "database.backupRetentionDays", stack: "dev", overrides: { "platform:database.backupRetentionDays": 0 } },
    { key: "database.multiAz", stack: "production", overrides: { "platform:database.multiAz": false } },
    { key: "services[0].ingress.certificateArn", stack: "production", overrides: { "platform:services[0].ingress": { enabled: true } } },
];

describe("config: a bad config registers nothing", function () {
    this.timeout(120_000);

    it("refuses every class of bad value before any resource or provider is registered, naming its key", async () => {
        await fc.assert(
            fc.asyncProperty(fc.constantFrom(...badValues), async ({ key, stack, overrides }) => {
                const failure = await renderFailure(stack, overrides);
                assert.ok(failure.cause instanceof ConfigError, `a config error, not: ${failure.message}`);
                assert.ok(failure.cause.problems.some((line) => line.startsWith(`${key}:`)), `${key} named in: ${failure.cause.problems.join("\n")}`);
                assert.deepEqual(
                    failure.registered.map((r) => r.type),
                    ["pulumi:pulumi:Stack"],
                    "only the stack itself, which Pulumi registers before the program runs",
                );
            }),
            { numRuns: badValues.length * 2 },
        );
    });

    it("reports every problem at once, whichever classes they come from", async () => {
        // Values set at a path inside the stack file, so none replaces another's list.
        const combinable = badValues.filter((bad) => bad.stack === "dev" && !("platform:services" in bad.overrides));
        await fc.assert(
            fc.asyncProperty(fc.uniqueArray(fc.constantFrom(...combinable), { minLength: 2, maxLength: 5, selector: (bad) => Object.keys(bad.overrides)[0] }), async (chosen) => {
                const overrides = Object.assign({}, ...chosen.map((bad) => bad.overrides));
                // A rollout given whole replaces a bound given alone: only values still in the config are expected.
                const expected = chosen.filter((bad) => !Object.keys(bad.overrides).some((k) => Object.keys(overrides).some((other) => other !== k && k.startsWith(other))));
                const failure = await renderFailure("dev", overrides);
                assert.ok(failure.cause instanceof ConfigError, failure.message);
                for (const { key } of expected) {
                    assert.ok(failure.cause.problems.some((line) => line.startsWith(`${key}:`)), `${key} among: ${failure.cause.problems.join("\n")}`);
                }
                assert.equal(failure.registered.length, 1);
            }),
            { numRuns: 15 },
        );
    });

    it("asks AWS only for what config cannot know, the region's zones, through the stack's provider and before any other resource", async () => {
        const failure = await renderFailure("dev", { "platform:network.availabilityZones": 5 });
        assert.ok(failure.cause instanceof ConfigError);
        assert.deepEqual(failure.cause.problems, ["network.availabilityZones: 5 is more than the 3 zones eu-west-1 offers (eu-west-1a, eu-west-1b, eu-west-1c)"]);
        // An AWS lookup needs a registered provider: pulumi/pulumi v3.248.0 pkg/resource/deploy/default_providers.go
        // registers even a default provider before an invoke may use it. So the provider is the one registration.
        assert.deepEqual(failure.registered.map((r) => r.type), ["pulumi:providers:aws", "pulumi:pulumi:Stack"]);
    });
});
