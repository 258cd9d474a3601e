import get from "lodash/get";
import { z } from "zod";
import { type Profile, profiles } from "./profile";
import { defaultsFor, itemDefaultsFor, settingsSchema } from "./schema";

/** One knob of the stack configuration, as the README's reference lists it. */
export interface ReferenceRow {
    /** Path as `pulumi config set --path` takes it; `[]` stands for every item of a list. */
    key: string;
    type: string;
    description: string;
    /** Default per profile; `undefined` where the key has none (required, or optional without default). */
    defaults: Record<Profile, unknown>;
    required: boolean;
}

interface JsonSchema {
    type?: string;
    description?: string;
    default?: unknown;
    enum?: unknown[];
    format?: string;
    minimum?: number;
    maximum?: number;
    properties?: Record<string, JsonSchema>;
    required?: string[];
    items?: JsonSchema;
    additionalProperties?: JsonSchema | boolean;
    anyOf?: JsonSchema[];
}

const formats: Record<string, string> = { cidrv4: "IPv4 CIDR", ipv4: "IPv4 address", url: "URL" };

function bounds(schema: JsonSchema): string {
    const min = schema.minimum;
    const max = schema.maximum !== undefined && schema.maximum < Number.MAX_SAFE_INTEGER ? schema.maximum : undefined;
    if (min === undefined && max === undefined) {
        return "";
    }
    return ` (${min ?? ""}–${max ?? ""})`;
}

/** The type of a key in words: `integer (2–6)`, `one of: single, perAz`, `list of IPv4 CIDR`. */
export function describeSchema(schema: JsonSchema): string {
    if (schema.enum) {
        return `one of: ${schema.enum.join(", ")}`;
    }
    if (schema.anyOf) {
        return schema.anyOf.map(describeSchema).join(" or ");
    }
    switch (schema.type) {
        case "array":
            return `list of ${schema.items?.type === "object" && schema.items.properties ? "objects" : describeSchema(schema.items ?? {})}`;
        case "object":
            return schema.properties ? "object" : `map of ${describeSchema((schema.additionalProperties as JsonSchema) ?? {})}`;
        case "string":
            return (schema.format && formats[schema.format]) ?? "string";
        case "integer":
        case "number":
            return `${schema.type}${bounds(schema)}`;
        default:
            return schema.type ?? "any";
    }
}

/** The JSON Schema of every key, as users write them (defaults not yet applied). */
export function settingsJsonSchema(): JsonSchema {
    return z.toJSONSchema(settingsSchema, { io: "input", unrepresentable: "any" }) as JsonSchema;
}

/** Where a key's default per profile comes from: the section defaults, or a list's default entry. */
type DefaultsOf = (profile: Profile) => unknown;

const childDefaults = (defaultsOf: DefaultsOf, name: string): DefaultsOf => (profile) => get(defaultsOf(profile), name);

function walk(schema: JsonSchema, key: string, required: boolean, defaultsOf: DefaultsOf, rows: ReferenceRow[], itemDefaults?: DefaultsOf): void {
    const defaults = Object.fromEntries(profiles.map((p) => [p, defaultsOf(p) ?? schema.default])) as Record<Profile, unknown>;
    // A field every profile gives a default is never required of the stack file.
    const defaulted = profiles.every((p) => defaults[p] !== undefined);
    rows.push({ key, type: describeSchema(schema), description: schema.description ?? "", defaults, required: required && !defaulted });
    if (schema.type === "object" && schema.properties) {
        for (const [name, child] of Object.entries(schema.properties)) {
            walk(child, `${key}.${name}`, schema.required?.includes(name) ?? false, childDefaults(defaultsOf, name), rows);
        }
    }
    if (schema.type === "array" && schema.items?.properties) {
        const entry = itemDefaults ?? (() => undefined);
        for (const [name, child] of Object.entries(schema.items.properties)) {
            walk(child, `${key}[].${name}`, schema.items.required?.includes(name) ?? false, childDefaults(entry, name), rows);
        }
    }
}

/** Every knob, in the order the schema declares them. */
export function configReference(): ReferenceRow[] {
    const root = settingsJsonSchema();
    const rows: ReferenceRow[] = [];
    for (const [name, schema] of Object.entries(root.properties ?? {})) {
        const itemDefaults = (profile: Profile) => (itemDefaultsFor(profile) as Record<string, unknown>)[name];
        walk(schema, name, root.required?.includes(name) ?? false, (profile) => get(defaultsFor(profile), name), rows, itemDefaults);
    }
    return rows;
}
