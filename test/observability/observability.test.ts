import { strict as assert } from "assert";
import { containerLogsPolicyArns } from "../../components/observability/containerLogs";
import { configProblems, render, stacks } from "../harness";

const alarm = "aws:cloudwatch/metricAlarm:MetricAlarm";

describe("logs and alarms", () => {
    for (const stack of stacks) {
        it(`keeps no ${stack} log group forever`, async () => {
            const groups = (await render(stack)).ofType("aws:cloudwatch/logGroup:LogGroup");
            assert.ok(groups.length > 0);
            for (const group of groups) {
                assert.ok(Number(group.inputs.retentionInDays) > 0, `${group.name} has a retention`);
            }
        });

        it(`ships ${stack} container logs through the CloudWatch add-on with its own IRSA role`, async () => {
            const q = await render(stack);
            const addon = q.ofType("aws:eks/addon:Addon").find((a) => a.inputs.addonName === "amazon-cloudwatch-observability");
            assert.ok(addon);
            const role = q.sourceOf(addon, "serviceAccountRoleArn");
            assert.match(JSON.parse(role.inputs.assumeRolePolicy as string).Statement[0].Action, /AssumeRoleWithWebIdentity/);
            // EKS User Guide, "Amazon CloudWatch Observability agent": CloudWatchAgentServerPolicy and, for the
            // Application Signals the add-on turns on by default, AWSXrayWriteOnlyAccess.
            const attached = q.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => q.sourcesOf(a, "role").some((r) => r.urn === role.urn));
            assert.deepEqual(attached.map((a) => a.inputs.policyArn).sort(), [...containerLogsPolicyArns].sort());
            assert.ok(containerLogsPolicyArns.includes("arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess"));
            const names = q.ofType("aws:cloudwatch/logGroup:LogGroup").map((g) => g.inputs.name);
            assert.ok(names.includes(`/aws/containerinsights/platform-${stack}/application`));
            assert.ok(names.includes(`/aws/eks/platform-${stack}/cluster`));
        });
    }

    it("leaves every production log group behind on destroy, and removes dev's with the stack", async () => {
        // A protected resource's failed delete does not stop a destroy (pulumi v3.248.0 pkg/resource/deploy/step_executor.go,
        // cancelDueToError: deleteProtectedError continues), so the audit, flow and container logs need their own retainOnDelete.
        for (const stack of stacks) {
            const groups = (await render(stack)).ofType("aws:cloudwatch/logGroup:LogGroup");
            assert.ok(groups.length >= 8, `${stack}: control plane, container, flow and database log groups`);
            for (const group of groups) {
                assert.equal(group.options.retainOnDelete === true, stack === "production", `${stack}: ${group.name}`);
            }
        }
    });

    it("creates the control-plane log group before EKS would create one that never expires", async () => {
        const q = await render("production");
        const group = q.ofType("aws:cloudwatch/logGroup:LogGroup").find((g) => g.inputs.name === "/aws/eks/platform-production/cluster");
        assert.ok(group && q.waitsFor(q.one("eks:index:Cluster"), group));
    });

    it("pages on ALB errors, latency, unhealthy targets, database pressure and the node ceiling in production", async () => {
        const q = await render("production");
        const names = q.ofType(alarm).map((a) => a.name.replace(/^alarms-/, ""));
        assert.deepEqual(names.sort(), ["alb-5xx", "alb-latency", "alb-unhealthy-targets", "nodes-at-ceiling", "rds-connections", "rds-cpu", "rds-free-storage"]);
        const topic = q.one("aws:sns/topic:Topic");
        for (const a of q.ofType(alarm)) {
            assert.ok(q.sourcesOf(a, "alarmActions").some((s) => s.urn === topic.urn), a.name);
        }
    });

    it("watches the ALBs the controller tagged with the stack, and the stack's own database", async () => {
        const q = await render("production");
        const latency = q.one(alarm, "alarms-alb-latency");
        assert.match((latency.inputs.metricQueries as any[])[0].expression, /WHERE tag\.stack = 'production'$/);
        assert.deepEqual(q.one(alarm, "alarms-rds-cpu").inputs.dimensions, { DBInstanceIdentifier: q.one("aws:rds/instance:Instance").inputs.identifier });
    });

    it("alarms when the nodes reach the sum of the node groups' maximum sizes", async () => {
        const q = await render("production");
        const ceiling = q.ofType("aws:eks/nodeGroup:NodeGroup").reduce((sum, g) => sum + (g.inputs.scalingConfig as { maxSize: number }).maxSize, 0);
        assert.equal(q.one(alarm, "alarms-nodes-at-ceiling").inputs.threshold, ceiling);
    });

    it("notifies the topic a stack names instead of creating one", async () => {
        const topicArn = "arn:aws:sns:eu-west-1:123456789012:on-call";
        const q = await render("production", { "platform:observability.alarms.topicArn": topicArn });
        assert.deepEqual(q.ofType("aws:sns/topic:Topic"), []);
        assert.deepEqual(q.one(alarm, "alarms-rds-cpu").inputs.alarmActions, [topicArn]);
    });

    it("creates no alarm in dev unless asked", async () => {
        assert.deepEqual((await render("dev")).ofType(alarm), []);
    });

    it("rejects a topic that is not an SNS ARN and an address that is not an email", async () => {
        assert.deepEqual(
            await configProblems("production", { "platform:observability.alarms.topicArn": "on-call", "platform:observability.alarms.emails": ["ops"] }),
            [
                'observability.alarms.topicArn: "on-call" is not an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)',
                'observability.alarms.emails[0]: "ops" is not an email address',
            ],
        );
    });

    it("encrypts the alarm topic with a key CloudWatch may use, so notifications are delivered", async () => {
        // The AWS managed alias/aws/sns key's policy cannot admit CloudWatch: alarms to a topic under it are dropped
        // (Amazon SNS Developer Guide, sns-key-management.html, "Configure AWS KMS permissions for AWS services").
        const q = await render("production");
        const topic = q.one("aws:sns/topic:Topic");
        const key = q.sourceOf(topic, "kmsMasterKeyId");
        assert.equal(key.type, "aws:kms/key:Key");
        const policy = JSON.parse(key.inputs.policy as string);
        const cloudwatch = policy.Statement.find((s: any) => s.Principal?.Service === "cloudwatch.amazonaws.com");
        assert.deepEqual(cloudwatch.Action, ["kms:Decrypt", "kms:GenerateDataKey*"]);
        assert.deepEqual(cloudwatch.Condition, { StringEquals: { "aws:SourceAccount": "123456789012" } });
        assert.ok(policy.Statement.some((s: any) => s.Principal?.AWS === "arn:aws:iam::123456789012:root" && s.Action === "kms:*"), "the account keeps administering the key");
        assert.equal(key.inputs.enableKeyRotation, true);
    });
});
