import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { Profile } from "../../config";
import type { DatabaseSettings } from "../../config/sections/database";
import { createPassword } from "./credentials";
import { createMonitoringRole } from "./monitoringRole";
import { databaseParameters, parameterFamily } from "./parameters";

/** PostgreSQL's port; the security group admits it and nothing else. */
export const postgresPort = 5432;

export interface DatabaseArgs {
    /** The database section of the stack config. */
    readonly settings: DatabaseSettings;
    /**
     * `production` adds deletion protection, a final snapshot and Pulumi's `protect`, keeps the
     * automated backups, and leaves the key, its alias and the log groups behind on destroy.
     */
    readonly profile: Profile;
    /** The RDS identifier, also the prefix of its log group and final snapshot. */
    readonly identifier: string;
    readonly vpcId: pulumi.Input<string>;
    /** The isolated subnets: no route out of the VPC. */
    readonly subnetIds: pulumi.Input<string>[];
}

/** How a service reaches the database; the password is a secret. */
export interface DatabaseConnection {
    readonly host: pulumi.Output<string>;
    readonly port: pulumi.Output<string>;
    readonly name: string;
    readonly username: string;
    readonly password: pulumi.Output<string>;
}

/**
 * RDS PostgreSQL in the isolated subnets: encrypted with its own key, TLS only, backed up, and in
 * production protected three ways (deletion protection, a final snapshot, Pulumi `protect`).
 * Clients are admitted with {@link Database.admit}, a rule of its own, so the instance never
 * waits for the cluster whose nodes it admits.
 */
export class Database extends pulumi.ComponentResource {
    readonly connection: DatabaseConnection;
    readonly securityGroupId: pulumi.Output<string>;
    readonly instanceArn: pulumi.Output<string>;
    /** The instance's DbiResourceId: a replaced or restored database is a new instance with a new one. */
    readonly resourceId: pulumi.Output<string>;
    private readonly name: string;

    constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:database:Database", name, {}, opts);
        this.name = name;
        const { settings } = args;
        const production = args.profile === "production";
        const parent = { parent: this };

        // The final snapshot is encrypted with this key: in production a destroy leaves key and alias,
        // or the snapshot becomes unrestorable once the key's deletion window ends (KMS Developer Guide, deleting-keys.html).
        const kept = { parent: this, retainOnDelete: production };
        const key = new aws.kms.Key(name, { description: `RDS ${args.identifier}: storage, snapshots and Performance Insights`, enableKeyRotation: true, deletionWindowInDays: 30 }, kept);
        new aws.kms.Alias(name, { name: `alias/${args.identifier}`, targetKeyId: key.keyId }, kept);
        const group = new aws.ec2.SecurityGroup(name, { vpcId: args.vpcId, description: `PostgreSQL ${args.identifier}: admits listed clients on ${postgresPort} only` }, parent);
        const subnets = new aws.rds.SubnetGroup(name, { subnetIds: args.subnetIds, description: `Isolated subnets of ${args.identifier}` }, parent);
        // A major upgrade replaces the group; in production the instance takes the new one in its
        // maintenance window, and RDS refuses to delete a group still in use, so the old one is left behind.
        const parameters = new aws.rds.ParameterGroup(
            name,
            { family: parameterFamily(settings.engineVersion), description: `TLS-only PostgreSQL for ${args.identifier}`, parameters: databaseParameters(settings) },
            { parent: this, retainOnDelete: production },
        );
        // RDS writes to these names; creating them first sets their retention. Production keeps them on destroy.
        const logGroups = ["postgresql", "upgrade"].map(
            (log) => new aws.cloudwatch.LogGroup(`${name}-${log}`, { name: `/aws/rds/instance/${args.identifier}/${log}`, retentionInDays: settings.logRetentionDays }, kept),
        );
        const password = createPassword(`${name}-master`, this);
        const snapshotSuffix = new random.RandomId(`${name}-final-snapshot`, { byteLength: 4, keepers: { identifier: args.identifier } }, parent);
        const monitoringRole = settings.monitoringIntervalSeconds > 0 ? createMonitoringRole(`${name}-monitoring`, this) : undefined;

        const instance = new aws.rds.Instance(
            name,
            {
                identifier: args.identifier,
                engine: "postgres",
                engineVersion: settings.engineVersion,
                autoMinorVersionUpgrade: true,
                // Without it RDS refuses a change of database.engineVersion to another major version.
                allowMajorVersionUpgrade: true,
                instanceClass: settings.instanceClass,
                allocatedStorage: settings.allocatedStorageGiB,
                maxAllocatedStorage: settings.maxAllocatedStorageGiB,
                storageType: "gp3",
                storageEncrypted: true,
                kmsKeyId: key.arn,
                multiAz: settings.multiAz,
                dbName: settings.databaseName,
                username: settings.username,
                password: password.result,
                port: postgresPort,
                dbSubnetGroupName: subnets.name,
                vpcSecurityGroupIds: [group.id],
                publiclyAccessible: false,
                parameterGroupName: parameters.name,
                enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
                performanceInsightsEnabled: settings.performanceInsights,
                // Stated, not left to the account's default: `advanced` costs more and needs 15 months of Performance Insights.
                databaseInsightsMode: "standard",
                performanceInsightsKmsKeyId: settings.performanceInsights ? key.arn : undefined,
                monitoringInterval: settings.monitoringIntervalSeconds,
                monitoringRoleArn: monitoringRole?.arn,
                iamDatabaseAuthenticationEnabled: settings.iamAuthentication,
                backupRetentionPeriod: settings.backupRetentionDays,
                // RDS deletes the automated backups with the instance unless told not to (DeleteDBInstance,
                // DeleteAutomatedBackups defaults to true): production keeps them, retained for their period, beside the final snapshot.
                deleteAutomatedBackups: !production,
                copyTagsToSnapshot: true,
                deletionProtection: production,
                skipFinalSnapshot: !production,
                finalSnapshotIdentifier: production ? pulumi.interpolate`${args.identifier}-final-${snapshotSuffix.hex}` : undefined,
                applyImmediately: !production,
            },
            { parent: this, dependsOn: [...logGroups, ...(monitoringRole?.permissions ?? [])], protect: production },
        );

        this.connection = {
            host: instance.address,
            port: instance.port.apply(String),
            name: settings.databaseName,
            username: settings.username,
            password: pulumi.secret(password.result),
        };
        this.securityGroupId = group.id;
        this.instanceArn = instance.arn;
        this.resourceId = instance.resourceId;
        this.registerOutputs({ host: this.connection.host, securityGroupId: this.securityGroupId });
    }

    /**
     * Admits a security group's members on the PostgreSQL port. The rule is a resource of its
     * own, so the database is created in parallel with whatever owns that group.
     */
    admit(client: string, sourceSecurityGroupId: pulumi.Input<string>): aws.vpc.SecurityGroupIngressRule {
        return new aws.vpc.SecurityGroupIngressRule(
            `${this.name}-from-${client}`,
            {
                securityGroupId: this.securityGroupId,
                referencedSecurityGroupId: sourceSecurityGroupId,
                ipProtocol: "tcp",
                fromPort: postgresPort,
                toPort: postgresPort,
                description: `PostgreSQL from ${client}`,
            },
            { parent: this },
        );
    }
}
