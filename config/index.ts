import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { pinnedGlobalBundle, regionCaBundle } from "../components/database/caBundle";
import { sourceProblems } from "../components/image/sourceFolders";
import { namingProblems } from "../components/naming";
import { ConfigError, formatIssues, phraseIssue, showValue } from "./errors";
import { mergeOverDefaults } from "./merge";
import { type Profile, profiles } from "./profile";
import { crossIssues, type ValidValues, validValues } from "./crossIssues";
import { derivedNameProblems } from "./derivedNames";
import { defaultsFor, itemDefaultsFor, sectionsSchema, type Settings, settingsSchema } from "./schema";

export type { Profile } from "./profile";
export { ConfigError } from "./errors";

/** The whole stack configuration, read and validated once; every component receives its part. */
export type PlatformConfig = Settings & {
    /** Pulumi project name; also the config namespace (`platform:`). */
    readonly project: string;
    /** Pulumi stack name, e.g. `dev`. */
    readonly stack: string;
    /** AWS region from `aws:region`. */
    readonly region: string;
};

/** What Pulumi hands a program: fully qualified keys (`platform:network`) and their raw string values. */
export interface ConfigSource {
    readonly project: string;
    readonly stack: string;
    readonly values: Readonly<Record<string, string>>;
    /** Keys whose values Pulumi holds encrypted (`pulumi config set --secret`). */
    readonly secretKeys?: readonly string[];
    /** The project folder services' `source` paths are relative to; given, each must hold a Dockerfile. */
    readonly projectDir?: string;
}

/** True when a structured value holds at least one leaf (the declared default `{}` holds none). */
function hasValues(value: unknown): boolean {
    return typeof value === "object" && value !== null ? Object.values(value).some(hasValues) : value !== undefined;
}

/** Keys that may only hold secret values. */
const secretOnlyKeys = ["serviceSecrets"];

function plaintextSecretProblems(source: ConfigSource): string[] {
    return secretOnlyKeys
        .map((key) => `${source.project}:${key}`)
        .filter((key) => hasValues(decode(source.values[key] ?? "{}")) && !(source.secretKeys ?? []).includes(key))
        .map((key) => `${key}: is stored in plain text; set each value with pulumi config set --secret --path '${key.slice(key.indexOf(":") + 1)}.<service>.<NAME>' <value>`);
}

const regionSchema = z
    .string({ error: (iss) => (iss.input === undefined ? "is missing; set it with `pulumi config set aws:region <region>`" : undefined) })
    .regex(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d+$/, { error: "is not an AWS region name (e.g. eu-west-1)" });

/** Structured values arrive as JSON text; plain strings arrive as themselves. */
function decode(raw: string): unknown {
    if (!/^\s*[[{]/.test(raw)) {
        return raw;
    }
    try {
        return JSON.parse(raw);
    } catch {
        return raw;
    }
}

function ownValues(source: ConfigSource): Record<string, unknown> {
    const prefix = `${source.project}:`;
    const own: Record<string, unknown> = {};
    for (const [key, raw] of Object.entries(source.values)) {
        if (key.startsWith(prefix)) {
            own[key.slice(prefix.length)] = decode(raw);
        }
    }
    return own;
}

function regionProblems(region: string | undefined): string[] {
    const result = regionSchema.safeParse(region);
    if (!result.success) {
        return [`aws:region:${region === undefined ? "" : ` ${showValue(region)}`} ${result.error.issues[0].message}`];
    }
    // Pods verify the database against the region's RDS CA from the pinned bundle: a region it lacks cannot be deployed.
    try {
        regionCaBundle(pinnedGlobalBundle(), result.data);
        return [];
    } catch (error) {
        return [error instanceof Error ? error.message : String(error)];
    }
}

/** Services whose `source` folder has no Dockerfile, checked on whatever entries the stack file gives. */
function missingSources(merged: Record<string, unknown>, projectDir: string | undefined): string[] {
    if (projectDir === undefined || !Array.isArray(merged.services)) {
        return [];
    }
    const entries = merged.services.map((entry: unknown) => (typeof entry === "object" && entry !== null && typeof (entry as { source?: unknown }).source === "string" ? entry : {}));
    return sourceProblems(entries as Parameters<typeof sourceProblems>[0], projectDir);
}

/** Each entry of a list with item defaults (`services`) starts from the profile's default entry, field by field. */
function withItemDefaults(merged: Record<string, unknown>, profile: Profile): Record<string, unknown> {
    const withDefaults = { ...merged };
    for (const [key, entryDefaults] of Object.entries(itemDefaultsFor(profile))) {
        const list = merged[key];
        if (Array.isArray(list)) {
            withDefaults[key] = list.map((entry) => mergeOverDefaults(entryDefaults, entry));
        }
    }
    return withDefaults;
}

/**
 * Names AWS, the load balancer controller or the API server would refuse: those made from the
 * project and stack (components/naming.ts), and every name a valid service entry derives.
 */
function stackNameProblems(read: ValidValues, source: ConfigSource): string[] {
    const services = (read("services").value ?? []) as Settings["services"];
    return [...namingProblems({ project: source.project, stack: source.stack, services }), ...derivedNameProblems(services, source)];
}

/**
 * Validates the whole configuration at once. Throws a {@link ConfigError} listing every problem,
 * each naming the key, the value and what is allowed; returns the typed configuration otherwise.
 */
export function parseConfig(source: ConfigSource): PlatformConfig {
    const given = ownValues(source);
    // An invalid profile is reported with the rest; dev's defaults stand in so the rest is still checked.
    const profile: Profile = profiles.find((p) => p === given.profile) ?? "dev";
    const merged = withItemDefaults(mergeOverDefaults(defaultsFor(profile), given) as Record<string, unknown>, profile);
    const result = sectionsSchema.safeParse(merged, { error: phraseIssue, reportInput: true });
    const read = validValues(merged);
    const problems = [
        ...regionProblems(source.values["aws:region"]),
        ...plaintextSecretProblems(source),
        ...formatIssues([...(result.success ? [] : result.error.issues), ...crossIssues(merged, read)], settingsSchema, source.project),
        ...missingSources(merged, source.projectDir),
        ...stackNameProblems(read, source),
    ];
    if (problems.length > 0 || !result.success) {
        throw new ConfigError(source.stack, problems);
    }
    return { ...result.data, project: source.project, stack: source.stack, region: source.values["aws:region"] };
}

/**
 * Reads the running stack's configuration from Pulumi. `projectDir` is where services' `source`
 * folders are; defaults to the project's folder.
 */
export function loadConfig(projectDir = pulumi.runtime.getRootDirectory() || process.cwd()): PlatformConfig {
    const values = pulumi.runtime.allConfig();
    // The SDK answers "is this key secret?" only through an internal function.
    const isSecret = (pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean }).isConfigSecret;
    const secretKeys = Object.keys(values).filter((key) => isSecret?.(key) ?? false);
    return parseConfig({ project: pulumi.getProject(), stack: pulumi.getStack(), values, secretKeys, projectDir });
}
