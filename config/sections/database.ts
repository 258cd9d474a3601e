import { z } from "zod";
import type { PerProfile } from "../profile";
import { logRetentionDays } from "./network";

/** PostgreSQL major versions RDS offers in standard support; the newest is the default. */
export const postgresVersions = ["14", "15", "16", "17"] as const;

/** Enhanced monitoring intervals RDS accepts, in seconds; 0 turns it off. */
export const monitoringIntervals = [0, 1, 5, 10, 15, 30, 60] as const;

/** User names PostgreSQL on RDS reserves or that every scanner tries first. */
const reservedUsernames = new Set(["postgres", "rdsadmin", "admin", "root"]);

/** RDS gp3 storage limits, in GiB. */
export const storageLimits = { min: 20, max: 65536 } as const;

const storage = z.int().min(storageLimits.min).max(storageLimits.max);

export const databaseSchema = z
    .strictObject({
        engineVersion: z.enum(postgresVersions).meta({ description: "PostgreSQL major version; RDS runs its newest minor and upgrades minors automatically. Default 17." }),
        instanceClass: z
            .string()
            .regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, { error: "is not an RDS instance class (e.g. db.t4g.micro)" })
            .meta({ description: "RDS instance class. Dev `db.t4g.micro`, production `db.m7g.large`." }),
        allocatedStorageGiB: storage.meta({ description: `Initial gp3 storage, ${storageLimits.min} to ${storageLimits.max} GiB. Dev 20, production 100.` }),
        maxAllocatedStorageGiB: z
            .int()
            .min(0)
            .max(storageLimits.max)
            .meta({ description: "Ceiling for storage autoscaling; 0 turns autoscaling off. Dev 0, production 500." }),
        multiAz: z.boolean().meta({ description: "A synchronous standby in another zone, failed over to automatically. Dev false, production true." }),
        backupRetentionDays: z.int().min(0).max(35).meta({ description: "Days automated backups are kept (0 to 35). Dev 1, production 14." }),
        performanceInsights: z.boolean().meta({ description: "Performance Insights, encrypted with the database's key. Dev false, production true." }),
        monitoringIntervalSeconds: z.literal(monitoringIntervals).meta({ description: "Enhanced monitoring interval; 0 turns it off. Dev 0, production 60." }),
        iamAuthentication: z.boolean().meta({ description: "Lets IAM roles log in with short-lived tokens. Dev false, production true." }),
        databaseName: z
            .string()
            .regex(/^[a-z][a-z0-9_]{0,62}$/, { error: "is not a PostgreSQL database name (lowercase letters, digits and _, starting with a letter)" })
            .meta({ description: "The database created for the services. Default `app`." }),
        username: z
            .string()
            .regex(/^[a-z][a-z0-9_]{0,62}$/, { error: "is not a PostgreSQL user name (lowercase letters, digits and _, starting with a letter)" })
            .refine((name) => !reservedUsernames.has(name), { error: "is reserved or the first name attackers try; choose another" })
            .meta({ description: "Master user name; never `postgres`. Default `platform_admin`." }),
        slowStatementMs: z.int().min(-1).meta({ description: "Statements slower than this many milliseconds are logged; -1 turns it off. Default 500." }),
        logRetentionDays: z.literal(logRetentionDays).meta({ description: "Days CloudWatch keeps the PostgreSQL and upgrade logs. Dev 14, production 365." }),
    })
    .superRefine((db, ctx) => {
        // RDS refuses a threshold less than 10% above the allocated storage (RDS User Guide, "Managing capacity automatically with Amazon RDS storage autoscaling").
        const lowest = Math.ceil((db.allocatedStorageGiB * 11) / 10);
        if (db.maxAllocatedStorageGiB !== 0 && db.maxAllocatedStorageGiB < lowest) {
            ctx.addIssue({
                code: "custom",
                path: ["maxAllocatedStorageGiB"],
                input: db.maxAllocatedStorageGiB,
                message: `is less than 10% above allocatedStorageGiB ${db.allocatedStorageGiB}, which RDS refuses; use at least ${lowest}, or 0 to turn autoscaling off`,
            });
        }
    })
    .meta({ description: "The RDS PostgreSQL database: version, size, availability, backups and monitoring." });

export type DatabaseSettings = z.output<typeof databaseSchema>;

const common = { engineVersion: "17", databaseName: "app", username: "platform_admin", slowStatementMs: 500 } as const;

export const databaseDefaults: PerProfile<z.input<typeof databaseSchema>> = {
    dev: {
        ...common,
        instanceClass: "db.t4g.micro",
        allocatedStorageGiB: 20,
        maxAllocatedStorageGiB: 0,
        multiAz: false,
        backupRetentionDays: 1,
        performanceInsights: false,
        monitoringIntervalSeconds: 0,
        iamAuthentication: false,
        logRetentionDays: 14,
    },
    production: {
        ...common,
        instanceClass: "db.m7g.large",
        allocatedStorageGiB: 100,
        maxAllocatedStorageGiB: 500,
        multiAz: true,
        backupRetentionDays: 14,
        performanceInsights: true,
        monitoringIntervalSeconds: 60,
        iamAuthentication: true,
        logRetentionDays: 365,
    },
};
