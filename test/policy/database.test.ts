import { strict as assert } from "assert";
import type { InstanceArgs } from "@pulumi/aws/rds/instance";
import type { ParameterGroupArgs } from "@pulumi/aws/rds/parameterGroup";
import {
    minimumBackupDays,
    rdsBackupRetention,
    rdsDeletionProtection,
    rdsEncryptedWithKms,
    rdsFinalSnapshot,
    rdsForcesTls,
    rdsMultiAz,
    rdsNotPublic,
    rdsProtected,
} from "../../policy/rules/database";
import type { Shape } from "../../policy/rules/shapes";
import { assertCaught, assertClean, findings, resource } from "./fixtures";

const instanceType = "aws:rds/instance:Instance";

/** A production database as the Database component must build it. */
const compliant: Shape<InstanceArgs> = {
    engine: "postgres",
    publiclyAccessible: false,
    storageEncrypted: true,
    kmsKeyId: "arn:aws:kms:eu-west-1:123456789012:key/platform",
    multiAz: true,
    deletionProtection: true,
    backupRetentionPeriod: 14,
    skipFinalSnapshot: false,
    finalSnapshotIdentifier: "platform-production-final-1",
};

function db(overrides: Shape<InstanceArgs>, protect = true) {
    return resource<InstanceArgs>(instanceType, "db", { ...compliant, ...overrides }, { protect });
}

describe("policy: RDS", () => {
    it("a production database built to the rules passes every database rule", () => {
        for (const rule of [rdsNotPublic, rdsEncryptedWithKms, rdsBackupRetention, rdsMultiAz, rdsDeletionProtection, rdsFinalSnapshot, rdsProtected]) {
            assertClean(findings(rule, db({})));
        }
    });

    it("a publicly accessible database is refused", () => {
        assertCaught(findings(rdsNotPublic, db({ publiclyAccessible: true })), /publiclyAccessible is true/);
    });

    it("unencrypted storage, or storage on the AWS-managed key, is refused", () => {
        assertCaught(findings(rdsEncryptedWithKms, db({ storageEncrypted: false })), /storageEncrypted is not true/);
        assertCaught(findings(rdsEncryptedWithKms, db({ kmsKeyId: undefined })), /kmsKeyId is not set/);
    });

    it("backups are kept at least a day in dev and two weeks in production", () => {
        assertClean(findings(rdsBackupRetention, db({ backupRetentionPeriod: minimumBackupDays.dev }), "dev"));
        assertCaught(findings(rdsBackupRetention, db({ backupRetentionPeriod: 0 }), "dev"), /backupRetentionPeriod is 0: a dev database keeps at least 1 day/);
        assertCaught(findings(rdsBackupRetention, db({ backupRetentionPeriod: 7 }), "production"), /backupRetentionPeriod is 7: a production database keeps at least 14 days/);
    });

    it("a production database without a standby in a second zone is refused", () => {
        assertCaught(findings(rdsMultiAz, db({ multiAz: false })), /multiAz is not true/);
    });

    it("a production database without deletion protection is refused", () => {
        assertCaught(findings(rdsDeletionProtection, db({ deletionProtection: undefined })), /deletionProtection is not true/);
    });

    it("a production database that skips, or cannot name, its final snapshot is refused", () => {
        assertCaught(findings(rdsFinalSnapshot, db({ skipFinalSnapshot: true })), /skipFinalSnapshot is true/);
        assertCaught(findings(rdsFinalSnapshot, db({ finalSnapshotIdentifier: undefined })), /finalSnapshotIdentifier is not set/);
    });

    it("a production database without Pulumi's protect option is refused", () => {
        assertCaught(findings(rdsProtected, db({}, false)), /protect option is not set/);
    });

    it("dev may run a small, disposable database: the production-only rules are not enforced there", () => {
        for (const rule of [rdsMultiAz, rdsDeletionProtection, rdsFinalSnapshot, rdsProtected]) {
            assert.deepEqual(rule.enforcement, { dev: "disabled", production: "mandatory" }, rule.name);
        }
    });

    it("a PostgreSQL parameter group must force TLS; other engines' groups are not its business", () => {
        const group = (props: Shape<ParameterGroupArgs>) => resource<ParameterGroupArgs>("aws:rds/parameterGroup:ParameterGroup", "params", props);
        assertClean(findings(rdsForcesTls, group({ family: "postgres17", parameters: [{ name: "rds.force_ssl", value: "1" }] })));
        assertCaught(findings(rdsForcesTls, group({ family: "postgres17", parameters: [{ name: "rds.force_ssl", value: "0" }] })), /rds.force_ssl is "0"/);
        assertCaught(findings(rdsForcesTls, group({ family: "postgres17", parameters: [] })), /rds.force_ssl is not set/);
        assertClean(findings(rdsForcesTls, group({ family: "mysql8.0", parameters: [] })));
    });
});
