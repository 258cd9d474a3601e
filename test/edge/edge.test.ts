import { strict as assert } from "assert";
import { managedRuleGroups } from "../../components/edge/webAcl";
import { fakeAccountId } from "../../tools/engine/fakeAccount";
import { configProblems, render, stacks } from "../harness";

/** Whether an IAM/S3 policy resource pattern (`*` any characters) covers an ARN. */
const covers = (pattern: string, arn: string) => new RegExp(`^${pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`).test(arn);

/** The `key=value` pairs of a load balancer attributes annotation. */
const attributesOf = (annotation: string) => Object.fromEntries(annotation.split(",").map((pair) => pair.split("=")));

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

    it("lets every production ALB write its access logs where it writes them: under its service's prefix", async () => {
        // An ALB writes `<bucket>/<prefix>/AWSLogs/<account>/...`, first a test file, and the controller stops
        // before making listeners when that write is refused (Elastic Load Balancing, enable-access-logging.html).
        const q = await render("production", { "platform:services": [{ name: "api", source: "services/api", ingress: { host: "api.example.com", certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/0c5b6f2e-8d1a-4b7e-9f3c-2a6d4e8b1c70" } }, { name: "worker", image: `public.ecr.aws/nginx/nginx:1.27.3@sha256:${"1".repeat(64)}`, strategy: "rolling", ingress: { enabled: false } }] });
        const policy = JSON.parse(q.one("aws:s3/bucketPolicy:BucketPolicy").inputs.policy as string);
        const writers = policy.Statement.filter((s: any) => s.Effect === "Allow" && s.Action === "s3:PutObject");
        assert.deepEqual(writers.map((s: any) => s.Principal), [{ AWS: "arn:aws:iam::156460612806:root" }, { Service: "logdelivery.elasticloadbalancing.amazonaws.com" }]);
        const ingresses = q.objects("Ingress") as any[];
        assert.ok(ingresses.length > 0);
        for (const ingress of ingresses) {
            const attributes = attributesOf(ingress.metadata.annotations["alb.ingress.kubernetes.io/load-balancer-attributes"]);
            assert.equal(attributes["access_logs.s3.enabled"], "true");
            const testFile = `arn:aws:s3:::${attributes["access_logs.s3.bucket"]}/${attributes["access_logs.s3.prefix"]}/AWSLogs/${fakeAccountId}/ELBAccessLogTestFile`;
            for (const writer of writers) {
                assert.ok(writer.Resource.some((pattern: string) => covers(pattern, testFile)), `${ingress.metadata.name}: ${testFile}`);
            }
        }
        const bucket = attributesOf(ingresses[0].metadata.annotations["alb.ingress.kubernetes.io/load-balancer-attributes"])["access_logs.s3.bucket"];
        for (const writer of writers) {
            assert.ok(!writer.Resource.some((pattern: string) => covers(pattern, `arn:aws:s3:::${bucket}/worker/AWSLogs/${fakeAccountId}/x`)), "no prefix for a service without an ALB");
        }
    });

    it("serves every production Ingress over HTTPS with its certificate, HTTP redirected", async () => {
        for (const ingress of (await render("production")).objects("Ingress") as any[]) {
            const a = ingress.metadata.annotations;
            assert.match(a["alb.ingress.kubernetes.io/certificate-arn"], /^arn:aws:acm:eu-west-1:\d{12}:certificate\//, ingress.metadata.name);
            assert.deepEqual(JSON.parse(a["alb.ingress.kubernetes.io/listen-ports"]), [{ HTTP: 80 }, { HTTPS: 443 }]);
            assert.equal(a["alb.ingress.kubernetes.io/ssl-redirect"], "443");
            assert.ok(ingress.spec.rules.every((rule: any) => rule.host), "a host its certificate covers");
        }
    });
});
