import type { InstanceArgs } from "@pulumi/aws/rds/instance";
import type { ParameterGroupArgs } from "@pulumi/aws/rds/parameterGroup";
import { itemsOf, shapeOf, textOf } from "./shapes";
import type { PerProfile, ResourceRule } from "./types";

const dbInstance = "aws:rds/instance:Instance";
const dbParameterGroup = "aws:rds/parameterGroup:ParameterGroup";

/** Fewest days of automated backups per profile; production keeps two weeks to recover from a bad release found late. */
export const minimumBackupDays: PerProfile<number> = { dev: 1, production: 14 };

/** RDS's own retention when the field is absent (CreateDBInstance's default). */
const defaultBackupDays = 1;

export const rdsNotPublic: ResourceRule = {
    kind: "resource",
    name: "rds-not-public",
    description: "RDS instances have no public address; only the cluster reaches them, from inside the VPC.",
    enforcement: { dev: "mandatory", production: "mandatory" },
    resourceTypes: [dbInstance],
    check: (resource) =>
        shapeOf<InstanceArgs>(resource).publiclyAccessible === true
            ? ["publiclyAccessible is true: the database gets an address reachable from the internet; set it to false"]
            : [],
};

export const rdsEncryptedWithKms: ResourceRule = {
    kind: "resource",
    name: "rds-encrypted-with-kms",
    description: "RDS storage, snapshots and backups are encrypted with a customer-managed KMS key.",
    enforcement: { dev: "mandatory", production: "mandatory" },
    resourceTypes: [dbInstance],
    check: (resource) => {
        const db = shapeOf<InstanceArgs>(resource);
        if (db.storageEncrypted !== true) {
            return ["storageEncrypted is not true: the data, its snapshots and backups are stored unencrypted"];
        }
        return textOf(db.kmsKeyId) === ""
            ? ["kmsKeyId is not set: storage is encrypted with the AWS-managed key, which cannot be rotated or restricted; pass the platform's KMS key"]
            : [];
    },
};

export const rdsBackupRetention: ResourceRule = {
    kind: "resource",
    name: "rds-backup-retention",
    description: `Automated backups are kept at least ${minimumBackupDays.dev} day in dev and ${minimumBackupDays.production} days in production.`,
    enforcement: { dev: "mandatory", production: "mandatory" },
    resourceTypes: [dbInstance],
    check: (resource, profile) => {
        const days = shapeOf<InstanceArgs>(resource).backupRetentionPeriod ?? defaultBackupDays;
        const minimum = minimumBackupDays[profile];
        return typeof days === "number" && days >= minimum
            ? []
            : [`backupRetentionPeriod is ${days}: a ${profile} database keeps at least ${minimum} day${minimum === 1 ? "" : "s"} of backups`];
    },
};

export const rdsMultiAz: ResourceRule = {
    kind: "resource",
    name: "rds-multi-az",
    description: "Production databases run a synchronous standby in a second availability zone.",
    enforcement: { dev: "disabled", production: "mandatory" },
    resourceTypes: [dbInstance],
    check: (resource) =>
        shapeOf<InstanceArgs>(resource).multiAz === true
            ? []
            : ["multiAz is not true: losing one availability zone (or a maintenance reboot) takes the database down"],
};

export const rdsDeletionProtection: ResourceRule = {
    kind: "resource",
    name: "rds-deletion-protection",
    description: "Production databases have deletion protection, so no API call can delete them.",
    enforcement: { dev: "disabled", production: "mandatory" },
    resourceTypes: [dbInstance],
    check: (resource) =>
        shapeOf<InstanceArgs>(resource).deletionProtection === true
            ? []
            : ["deletionProtection is not true: one API call (or pulumi destroy) deletes the database"],
};

export const rdsFinalSnapshot: ResourceRule = {
    kind: "resource",
    name: "rds-final-snapshot",
    description: "Deleting a production database first takes a final snapshot under a known name.",
    enforcement: { dev: "disabled", production: "mandatory" },
    resourceTypes: [dbInstance],
    check: (resource) => {
        const db = shapeOf<InstanceArgs>(resource);
        if (db.skipFinalSnapshot === true) {
            return ["skipFinalSnapshot is true: deleting the database loses every row written since the last backup"];
        }
        return textOf(db.finalSnapshotIdentifier) === ""
            ? ["finalSnapshotIdentifier is not set: the deletion fails instead of taking the final snapshot; give it a unique name"]
            : [];
    },
};

export const rdsProtected: ResourceRule = {
    kind: "resource",
    name: "rds-protected",
    description: "Production databases carry Pulumi's protect option: neither pulumi destroy nor a replacing change deletes them.",
    enforcement: { dev: "disabled", production: "mandatory" },
    resourceTypes: [dbInstance],
    check: (resource) =>
        resource.protect ? [] : ["the protect option is not set: pulumi destroy, or a change that replaces the instance, deletes the database"],
};

/** The parameter that makes PostgreSQL on RDS refuse connections without TLS. */
const forceSsl = "rds.force_ssl";

export const rdsForcesTls: ResourceRule = {
    kind: "resource",
    name: "rds-forces-tls",
    description: "PostgreSQL parameter groups set rds.force_ssl, so the database refuses connections without TLS.",
    enforcement: { dev: "mandatory", production: "mandatory" },
    resourceTypes: [dbParameterGroup],
    check: (resource) => {
        const group = shapeOf<ParameterGroupArgs>(resource);
        if (!textOf(group.family).startsWith("postgres")) {
            return [];
        }
        const setting = itemsOf(group.parameters).find((parameter) => parameter?.name === forceSsl);
        return String(setting?.value ?? "") === "1"
            ? []
            : [`parameter ${forceSsl} is ${setting ? JSON.stringify(setting.value) : "not set"}: clients may connect without TLS; set it to "1"`];
    },
};

export const databaseRules: readonly ResourceRule[] = [
    rdsNotPublic,
    rdsEncryptedWithKms,
    rdsBackupRetention,
    rdsMultiAz,
    rdsDeletionProtection,
    rdsFinalSnapshot,
    rdsProtected,
    rdsForcesTls,
];
