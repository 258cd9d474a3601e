import { strict as assert } from "assert";
import { managedRuleGroups } from "../../components/edge/webAcl";
import { configProblems, render, stacks } from "../harness";

const webAcl = "aws:wafv2/webAcl:WebAcl";

describe("edge", () => {
    for (const stack of stacks) {
        it(`blocks a client IP over the ${stack} rate limit before the managed rule groups run`, async () => {
            const q = await render(stack);
            const acl = q.one(webAcl);
            assert.equal(acl.inputs.scope, "REGIONAL");
            const [rate, ...groups] = acl.inputs.rules as { priority: number; action?: unknown; statement: any }[];
            assert.equal(rate.priority, 0);
            assert.deepEqual(rate.action, { block: {} });
            assert.equal(rate.statement.rateBasedStatement.aggregateKeyType, "IP");
            assert.equal(rate.statement.rateBasedStatement.limit, stack === "production" ? 1000 : 2000);
            assert.deepEqual(
                groups.map((g) => g.statement.managedRuleGroupStatement.name),
                [...managedRuleGroups],
            );
        });
    }

    it("takes the rate limit from config", async () => {
        const acl = (await render("dev", { "platform:edge.rateLimitPer5Minutes": 300 })).one(webAcl);
        assert.equal((acl.inputs.rules as any[])[0].statement.rateBasedStatement.limit, 300);
    });

    it("keeps production's ALB access logs in a private, encrypted bucket that expires them", async () => {
        const q = await render("production");
        const bucket = q.one("aws:s3/bucket:Bucket", "edge-access-logs");
        const owned = (type: string) => q.ofType(type).find((r) => q.sourcesOf(r, "bucket").some((b) => b.urn === bucket.urn));
        assert.deepEqual(owned("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")?.inputs.blockPublicPolicy, true);
        assert.equal((owned("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")?.inputs.rules as any[])[0].applyServerSideEncryptionByDefault.sseAlgorithm, "AES256");
        assert.equal((owned("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")?.inputs.rules as any[])[0].expiration.days, 90);
        const policy = JSON.parse(owned("aws:s3/bucketPolicy:BucketPolicy")?.inputs.policy as string);
        assert.ok(policy.Statement.some((s: any) => s.Effect === "Deny" && s.Condition?.Bool?.["aws:SecureTransport"] === "false"), "TLS only");
    });

    it("writes no access logs in dev", async () => {
        assert.deepEqual((await render("dev")).ofType("aws:s3/bucket:Bucket"), []);
    });

    it("rejects a rate limit WAF does not accept", async () => {
        assert.deepEqual(await configProblems("dev", { "platform:edge.rateLimitPer5Minutes": 5 }), ["edge.rateLimitPer5Minutes: 5 is below the minimum 10"]);
    });
});
