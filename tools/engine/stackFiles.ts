import * as fs from "fs";
import set from "lodash/set";
import unset from "lodash/unset";
import * as path from "path";
import { parse } from "yaml";

/** A config declaration in Pulumi.yaml: a typed key of ours (`default`) or a value for another namespace (`value`). */
interface Declaration {
    type?: string;
    description?: string;
    default?: unknown;
    value?: unknown;
    secret?: boolean;
}

/** What the render needs from Pulumi.yaml. */
export interface ProjectFile {
    name: string;
    /** Path of the program, relative to the project folder. */
    main: string;
    config: Record<string, Declaration>;
}

/** A stack's configuration as Pulumi hands it to the program: qualified keys, decoded values. */
export interface StackConfig {
    values: Record<string, unknown>;
    /** Keys whose value holds a secret; the render sees a placeholder instead of the secret. */
    secretKeys: string[];
}

export function readProject(projectDir: string): ProjectFile {
    const file = path.join(projectDir, "Pulumi.yaml");
    const project = parse(fs.readFileSync(file, "utf8")) as Partial<ProjectFile> & { config?: Record<string, unknown> };
    if (!project.name) {
        throw new Error(`${file} has no project name`);
    }
    const config: Record<string, Declaration> = {};
    for (const [key, declaration] of Object.entries(project.config ?? {})) {
        const isShorthand = typeof declaration !== "object" || declaration === null || Array.isArray(declaration);
        config[key] = isShorthand ? { default: declaration } : (declaration as Declaration);
    }
    return { name: project.name, main: project.main ?? "index.ts", config };
}

/** The stacks a project has a stack file for. */
export function listStacks(projectDir: string): string[] {
    return fs
        .readdirSync(projectDir)
        .map((file) => /^Pulumi\.(.+)\.ya?ml$/.exec(file)?.[1])
        .filter((stack): stack is string => stack !== undefined)
        .sort();
}

function qualify(project: string, key: string): string {
    return key.includes(":") ? key : `${project}:${key}`;
}

/** Replaces every `secure:` leaf with a marked placeholder naming where it stood. */
function placeholders(value: unknown, where: string): { value: unknown; secret: boolean } {
    if (typeof value !== "object" || value === null) {
        return { value, secret: false };
    }
    const object = value as Record<string, unknown>;
    if (typeof object.secure === "string" && Object.keys(object).length === 1) {
        return { value: `[secret ${where}]`, secret: true };
    }
    let secret = false;
    const entries = Object.entries(object).map(([key, inner]) => {
        const child = placeholders(inner, Array.isArray(value) ? `${where}[${key}]` : `${where}.${key}`);
        secret ||= child.secret;
        return [key, child.value] as const;
    });
    return { value: Array.isArray(value) ? entries.map(([, v]) => v) : Object.fromEntries(entries), secret };
}

/**
 * Reads a stack's configuration the way the Pulumi CLI assembles it: Pulumi.yaml's defaults and
 * values, then the stack file's keys over them. Secure values become placeholders; nothing is decrypted.
 */
export function readStackConfig(projectDir: string, project: ProjectFile, stack: string): StackConfig {
    const file = path.join(projectDir, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) {
        const known = listStacks(projectDir).join(", ");
        throw new Error(`There is no stack file Pulumi.${stack}.yaml in ${projectDir} (stacks: ${known || "none"})`);
    }
    const values: Record<string, unknown> = {};
    const secretKeys = new Set<string>();
    for (const [key, declaration] of Object.entries(project.config)) {
        const given = declaration.value ?? declaration.default;
        if (given !== undefined) {
            values[qualify(project.name, key)] = given;
        }
    }
    const stackFile = (parse(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
    for (const [key, raw] of Object.entries(stackFile.config ?? {})) {
        const qualified = qualify(project.name, key);
        const { value, secret } = placeholders(raw, qualified);
        values[qualified] = value;
        if (secret) {
            secretKeys.add(qualified);
        }
    }
    return { values, secretKeys: [...secretKeys].sort() };
}

/**
 * Applies overrides as `pulumi config set` would: `platform:network` replaces the key,
 * `platform:network.cidr` sets a path inside it (like `--path`), `undefined` removes.
 */
export function applyOverrides(config: StackConfig, overrides: Record<string, unknown>): StackConfig {
    const values = structuredClone(config.values);
    const secretKeys = new Set(config.secretKeys);
    for (const [key, given] of Object.entries(overrides)) {
        // `{secure: ...}` marks a secret value, as `pulumi config set --secret` would.
        const { value, secret } = placeholders(given, key);
        const colon = key.indexOf(":");
        const pathStart = key.slice(colon + 1).search(/[.[]/);
        const topKey = pathStart < 0 ? key : key.slice(0, colon + 1 + pathStart);
        const inner = pathStart < 0 ? "" : key.slice(colon + 1 + pathStart).replace(/^\./, "");
        if (secret) {
            secretKeys.add(topKey);
        }
        if (inner === "") {
            if (value === undefined) {
                delete values[topKey];
            } else {
                values[topKey] = value;
            }
        } else if (value === undefined) {
            unset(values[topKey] as object, inner);
        } else {
            values[topKey] ??= /^\[/.test(inner) ? [] : {};
            set(values[topKey] as object, inner, value);
        }
    }
    return { values, secretKeys: [...secretKeys].sort() };
}

/** The strings Pulumi passes a program: text as itself, everything else as JSON. */
export function toRuntimeConfig(config: StackConfig): Record<string, string> {
    return Object.fromEntries(
        Object.entries(config.values).map(([key, value]) => [key, typeof value === "string" ? value : JSON.stringify(value)]),
    );
}
