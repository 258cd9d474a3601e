import { strict as assert } from "assert";
import { isSecret, reveal } from "../../tools/engine/wire";
import { render, stacks } from "../harness";

const instanceType = "aws:rds/instance:Instance";

describe("database", () => {
    for (const stack of stacks) {
        describe(`${stack} stack`, () => {
            it("is never reachable from the internet: private, in the isolated subnets", async () => {
                const q = await render(stack);
                const db = q.one(instanceType);
                assert.equal(db.inputs.publiclyAccessible, false);
                const subnets = q.sourcesOf(q.sourceOf(db, "dbSubnetGroupName"), "subnetIds");
                assert.ok(subnets.length >= 2);
                assert.ok(subnets.every((s) => (s.inputs.tags as Record<string, string>).tier === "isolated"));
            });

            it("encrypts its gp3 storage with its own rotating key", async () => {
                const q = await render(stack);
                const db = q.one(instanceType);
                assert.equal(db.inputs.storageEncrypted, true);
                assert.equal(db.inputs.storageType, "gp3");
                const key = q.sourceOf(db, "kmsKeyId");
                assert.equal(key.type, "aws:kms/key:Key");
                assert.equal(key.inputs.enableKeyRotation, true);
            });

            it("refuses connections without TLS and logs slow statements", async () => {
                const q = await render(stack);
                const parameters = q.sourceOf(q.one(instanceType), "parameterGroupName");
                const values = Object.fromEntries((parameters.inputs.parameters as { name: string; value: string }[]).map((p) => [p.name, p.value]));
                assert.equal(values["rds.force_ssl"], "1");
                assert.ok(Number(values.log_min_duration_statement) > 0);
                assert.equal(parameters.inputs.family, `postgres${q.one(instanceType).inputs.engineVersion}`);
            });

            it("admits only the cluster's node security group, on 5432 only", async () => {
                const q = await render(stack);
                const group = q.sourceOf(q.one(instanceType), "vpcSecurityGroupIds");
                assert.equal(group.inputs.ingress, undefined, "no inline rules");
                const rules = q.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => q.sourceOf(r, "securityGroupId").urn === group.urn);
                assert.equal(rules.length, 1);
                const [rule] = rules;
                assert.deepEqual([rule.inputs.ipProtocol, rule.inputs.fromPort, rule.inputs.toPort], ["tcp", 5432, 5432]);
                assert.equal(q.sourceOf(rule, "referencedSecurityGroupId").type, "eks:index:Cluster");
                assert.equal(rule.inputs.cidrIpv4, undefined);
            });

            it("is created in parallel with the cluster: nothing makes it wait for EKS", async () => {
                const q = await render(stack);
                const db = q.one(instanceType);
                for (const cluster of q.ofType("eks:index:Cluster")) {
                    assert.equal(q.waitsFor(db, cluster), false);
                }
            });

            it("generates its master password and keeps it secret everywhere", async () => {
                const q = await render(stack);
                const db = q.one(instanceType);
                assert.ok(isSecret(db.inputs.password));
                assert.equal(q.sourceOf(db, "password").type, "random:index/randomPassword:RandomPassword");
                assert.notEqual(db.inputs.username, "postgres");
                for (const [name, value] of Object.entries(q.outputs)) {
                    const text = JSON.stringify(reveal(value));
                    assert.ok(!text.includes(reveal(db.inputs.password) as string), `${name} holds the master password`);
                    assert.ok(!text.includes(`"${db.inputs.username}"`), `${name} holds the master user name`);
                }
            });

            it("ships its logs to CloudWatch groups that expire them", async () => {
                const q = await render(stack);
                const db = q.one(instanceType);
                assert.deepEqual(db.inputs.enabledCloudwatchLogsExports, ["postgresql", "upgrade"]);
                const groups = q.ofType("aws:cloudwatch/logGroup:LogGroup").filter((g) => String(g.inputs.name).startsWith(`/aws/rds/instance/${db.inputs.identifier}/`));
                assert.equal(groups.length, 2);
                assert.ok(groups.every((g) => Number(g.inputs.retentionInDays) > 0));
            });

            it("upgrades minor versions and copies tags to snapshots", async () => {
                const db = (await render(stack)).one(instanceType);
                assert.equal(db.inputs.autoMinorVersionUpgrade, true);
                assert.equal(db.inputs.copyTagsToSnapshot, true);
            });
        });
    }

    it("cannot be deleted by accident in production: protected, deletion-protected, with a final snapshot", async () => {
        const db = (await render("production")).one(instanceType);
        assert.equal(db.options.protect, true);
        assert.equal(db.inputs.deletionProtection, true);
        assert.equal(db.inputs.skipFinalSnapshot, false);
        assert.match(String(db.inputs.finalSnapshotIdentifier), new RegExp(`^${db.inputs.identifier}-final-[0-9a-f]{8}$`));
    });

    it("leaves a production destroy restorable: the final snapshot's key and alias stay, and the automated backups too", async () => {
        // The final snapshot is encrypted with the instance's key; a key scheduled for deletion is gone after its
        // window (KMS Developer Guide, deleting-keys.html), and DeleteDBInstance's DeleteAutomatedBackups defaults to true.
        const q = await render("production");
        const db = q.one(instanceType);
        const key = q.sourceOf(db, "kmsKeyId");
        assert.equal(key.options.retainOnDelete, true);
        const alias = q.ofType("aws:kms/alias:Alias").find((a) => a.inputs.name === `alias/${db.inputs.identifier}`);
        assert.ok(alias, "the instance's key has an alias named for it");
        assert.equal(alias.options.retainOnDelete, true);
        assert.equal(db.inputs.deleteAutomatedBackups, false);
    });

    it("keeps production highly available, backed up for two weeks and observable", async () => {
        const db = (await render("production")).one(instanceType);
        assert.equal(db.inputs.multiAz, true);
        assert.ok(Number(db.inputs.backupRetentionPeriod) >= 14);
        assert.ok(Number(db.inputs.maxAllocatedStorage) > Number(db.inputs.allocatedStorage), "storage autoscales");
        assert.equal(db.inputs.performanceInsightsEnabled, true);
        assert.equal(db.inputs.performanceInsightsKmsKeyId, db.inputs.kmsKeyId);
        assert.ok(Number(db.inputs.monitoringInterval) > 0);
        assert.equal(db.inputs.iamDatabaseAuthenticationEnabled, true);
    });

    it("lets dev be destroyed freely and cheaply", async () => {
        const q = await render("dev");
        const db = q.one(instanceType);
        assert.notEqual(db.options.protect, true);
        assert.equal(db.inputs.deletionProtection, false);
        assert.equal(db.inputs.skipFinalSnapshot, true);
        assert.notEqual(db.inputs.deleteAutomatedBackups, false);
        assert.notEqual(q.sourceOf(db, "kmsKeyId").options.retainOnDelete, true);
        assert.equal(db.inputs.multiAz, false);
        assert.ok(Number(db.inputs.backupRetentionPeriod) >= 1);
    });

    it("takes a new major version from config: the upgrade allowed, a new parameter group, the old one left to the running instance in production", async () => {
        for (const stack of stacks) {
            const q = await render(stack, { "platform:database.engineVersion": "16" });
            const db = q.one(instanceType);
            // RDS ModifyDBInstance refuses a major EngineVersion without AllowMajorVersionUpgrade.
            assert.equal(db.inputs.allowMajorVersionUpgrade, true);
            const group = q.sourceOf(db, "parameterGroupName");
            assert.equal(group.inputs.family, "postgres16");
            // The family is create-only: a major upgrade replaces the group; production applies it in the maintenance
            // window, and RDS refuses to delete a group an instance still uses (InvalidDBParameterGroupState).
            assert.equal(group.options.retainOnDelete, stack === "production", stack);
        }
    });

    it("states the Database Insights mode instead of taking the account's default", async () => {
        for (const stack of stacks) {
            assert.equal((await render(stack)).one(instanceType).inputs.databaseInsightsMode, "standard");
        }
    });
});
