import { strict as assert } from "assert";
import { ConfigError, parseConfig } from "../config";
import { configProblems, render, renderFailure, stacks } from "./harness";

describe("stack configuration", () => {
    for (const stack of stacks) {
        it(`the ${stack} stack starts from the ${stack} profile`, async () => {
            assert.equal((await render(stack)).outputs.profile, stack);
        });
    }

    it("requires every stack to name its profile", async () => {
        assert.deepEqual(await configProblems("dev", { "platform:profile": undefined }), [
            'profile: is missing; expected one of "dev", "production"',
        ]);
    });

    it("names the key, the value and what is allowed", async () => {
        assert.deepEqual(await configProblems("dev", { "platform:profile": "staging" }), [
            'profile: "staging" is not one of "dev", "production"',
        ]);
    });

    it("rejects a region that is not an AWS region name", async () => {
        assert.deepEqual(await configProblems("dev", { "aws:region": "Ireland" }), [
            'aws:region: "Ireland" is not an AWS region name (e.g. eu-west-1)',
        ]);
    });

    it("reports a misspelt key as a likely typo", async () => {
        assert.deepEqual(await configProblems("dev", { "platform:tgas": {} }), [
            "platform:tgas: unknown key; did you mean platform:tags?",
        ]);
    });

    it("rejects tags AWS reserves", async () => {
        assert.deepEqual(await configProblems("production", { "platform:tags": { "aws:team": "x" } }), [
            'tags["aws:team"]: key "aws:team" uses the reserved prefix aws:',
        ]);
    });

    it("reports every problem at once", async () => {
        const problems = await configProblems("production", {
            "aws:region": "moon-1",
            "platform:profile": "prod",
            "platform:tags": { team: 7 },
        });
        assert.equal(problems.length, 3, problems.join("\n"));
    });

    it("registers no resource when the config is invalid", async () => {
        const failure = await renderFailure("production", { "platform:profile": "prod", "platform:tags": { team: 7 } });
        assert.ok(failure.cause instanceof ConfigError);
        assert.deepEqual(
            failure.registered.map((r) => r.type),
            ["pulumi:pulumi:Stack"],
            "only the stack itself, which Pulumi registers before the program runs",
        );
    });

    it("stops with a message, not a stack trace", () => {
        const error = (() => {
            try {
                parseConfig({ project: "platform", stack: "dev", values: { "aws:region": "eu-west-1", "platform:profile": "qa" } });
            } catch (e) {
                return e as Error;
            }
            assert.fail("the config was accepted");
        })();
        // Pulumi prints a RunError's message alone, without the stack trace of the program.
        assert.equal((error as { __pulumiRunError?: boolean }).__pulumiRunError, true);
        assert.doesNotMatch(error.message, /\n\s+at /);
    });
});
