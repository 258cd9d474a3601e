import * as pulumi from "@pulumi/pulumi";
import { closest, distance } from "fastest-levenshtein";
import { z } from "zod";

/** A config path as users type it with `pulumi config set --path`, e.g. `cluster.nodeGroups[0].minSize`. */
export function formatPath(path: readonly PropertyKey[]): string {
    return path.reduce<string>((text, part) => {
        if (typeof part === "number") {
            return `${text}[${part}]`;
        }
        const key = String(part);
        if (!/^[A-Za-z_$][\w$-]*$/.test(key)) {
            return `${text}[${JSON.stringify(key)}]`;
        }
        return text === "" ? key : `${text}.${key}`;
    }, "");
}

/** A value as it appears in an error line: JSON, shortened so one line stays one line. */
export function showValue(value: unknown): string {
    const text = JSON.stringify(value) ?? String(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function describeType(expected: string): string {
    const article = /^[aeiou]/.test(expected) ? "an" : "a";
    return expected === "array" ? "a list" : `${article} ${expected}`;
}

function describeBound(issue: z.core.$ZodRawIssue, side: "minimum" | "maximum"): string {
    const limit = String(issue[side]);
    const exclusive = issue.inclusive === false;
    switch (issue.origin) {
        case "array": {
            const items = limit === "1" ? "item" : "items";
            return side === "minimum" ? `needs at least ${limit} ${items}` : `allows at most ${limit} ${items}`;
        }
        case "string":
            return side === "minimum" ? `is shorter than ${limit} characters` : `is longer than ${limit} characters`;
        default:
            if (side === "minimum") {
                return exclusive ? `must be greater than ${limit}` : `is below the minimum ${limit}`;
            }
            return exclusive ? `must be less than ${limit}` : `is above the maximum ${limit}`;
    }
}

/**
 * Zod error map: says what is allowed, in words that follow the key and the value
 * (`network.azCount: 7 is above the maximum 6`). Messages a schema gives itself win over these.
 */
export function phraseIssue(issue: z.core.$ZodRawIssue): string | undefined {
    switch (issue.code) {
        case "invalid_type":
            return issue.input === undefined
                ? `is missing; expected ${describeType(String(issue.expected))}`
                : `is not ${describeType(String(issue.expected))}`;
        case "too_small":
            return describeBound(issue, "minimum");
        case "too_big":
            return describeBound(issue, "maximum");
        case "invalid_value": {
            const allowed = `one of ${(issue.values as unknown[]).map(showValue).join(", ")}`;
            return issue.input === undefined ? `is missing; expected ${allowed}` : `is not ${allowed}`;
        }
        case "not_multiple_of":
            return `is not a multiple of ${String(issue.divisor)}`;
        case "invalid_format":
            return `is not a valid ${String(issue.format)}`;
        default:
            return undefined;
    }
}

/** The keys a strict object accepts at `path`, for "did you mean" suggestions. */
export function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
    let node: z.ZodType = schema;
    const unwrap = (n: z.ZodType): z.ZodType => {
        while (n instanceof z.ZodOptional || n instanceof z.ZodDefault || n instanceof z.ZodNullable) {
            n = n.unwrap() as z.ZodType;
        }
        return n instanceof z.ZodPipe ? unwrap(n.in as z.ZodType) : n;
    };
    for (const part of path) {
        node = unwrap(node);
        if (node instanceof z.ZodObject) {
            node = node.shape[String(part)] as z.ZodType;
        } else if (node instanceof z.ZodArray) {
            node = node.element as z.ZodType;
        } else if (node instanceof z.ZodRecord) {
            node = node.valueType as z.ZodType;
        } else {
            return [];
        }
        if (node === undefined) {
            return [];
        }
    }
    node = unwrap(node);
    return node instanceof z.ZodObject ? Object.keys(node.shape) : [];
}

function suggestion(key: string, allowed: string[], qualify: (k: string) => string): string {
    if (allowed.length === 0) {
        return "";
    }
    const near = closest(key, allowed);
    if (distance(key.toLowerCase(), near.toLowerCase()) <= Math.max(2, Math.floor(key.length / 3))) {
        return `; did you mean ${qualify(near)}?`;
    }
    return `; known keys: ${allowed.map(qualify).join(", ")}`;
}

/**
 * One line per problem: the key, the value given and what is allowed. Unknown keys are
 * reported as likely typos, with the nearest known key.
 */
export function formatIssues(issues: readonly z.core.$ZodIssue[], schema: z.ZodType, namespace: string): string[] {
    return issues.flatMap((issue) => {
        const where = formatPath(issue.path);
        if (issue.code === "unrecognized_keys") {
            const allowed = keysAt(schema, issue.path);
            const topLevel = issue.path.length === 0;
            const qualify = (k: string) => (topLevel ? `${namespace}:${k}` : `"${k}"`);
            return issue.keys.map((key) => {
                const full = topLevel ? `${namespace}:${key}` : `${where}.${key}`;
                return `${full}: unknown key${suggestion(key, allowed, qualify)}`;
            });
        }
        const input = (issue as { input?: unknown }).input;
        if (issue.code === "invalid_key") {
            return [`${where}: key ${showValue(input)} ${issue.issues[0]?.message ?? issue.message}`];
        }
        const given = input === undefined ? "" : ` ${showValue(input)}`;
        return [`${where || namespace}:${given} ${issue.message}`];
    });
}

/**
 * Raised when the stack configuration is invalid. A `RunError`, so Pulumi prints the
 * message alone: no stack trace, and no resource of the program has been registered.
 */
export class ConfigError extends pulumi.RunError {
    constructor(
        readonly stack: string,
        readonly problems: readonly string[],
    ) {
        const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
        super(
            `The configuration of stack "${stack}" has ${count}; nothing was deployed.\n` +
                problems.map((p) => `  ${p}`).join("\n"),
        );
        this.name = "ConfigError";
    }
}
