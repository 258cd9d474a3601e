import type { Rendered, RenderedResource } from "./model";
import { replaces } from "./replacements";
import { secretMark } from "./wire";

/** One field that differs between two renders of a resource. */
export interface FieldChange {
    path: string;
    before: unknown;
    after: unknown;
    /** The provider must delete and re-create the resource to apply this change. */
    forcesReplacement: boolean;
}

export interface ResourceChange {
    key: string;
    type: string;
    name: string;
    /** `update` changes the resource in place; `replace` deletes and re-creates it. */
    kind: "update" | "replace";
    fields: FieldChange[];
}

export interface RenderDiff {
    added: RenderedResource[];
    removed: RenderedResource[];
    changed: ResourceChange[];
    unchanged: number;
}

/** URNs name their stack; without it, the same resource of two stacks has the same key. */
export function stacklessUrn(urn: string): string {
    return urn.replace(/^urn:pulumi:[^:]+::/, "urn:pulumi:*::");
}

function parsedJson(text: string): unknown {
    if (!/^\s*[[{]/.test(text)) {
        return undefined;
    }
    try {
        return JSON.parse(text);
    } catch {
        return undefined;
    }
}

/** Leaf paths and values of a resource: inputs (JSON text opened up), provider and options. */
function flatten(resource: RenderedResource): Map<string, unknown> {
    const leaves = new Map<string, unknown>();
    const walk = (value: unknown, path: string) => {
        if (typeof value === "string") {
            const json = parsedJson(value);
            if (json !== undefined) {
                return walk(json, path);
            }
            leaves.set(path, value.startsWith("urn:pulumi:") ? stacklessUrn(value) : value);
        } else if (Array.isArray(value) && value.length > 0) {
            value.forEach((item, i) => walk(item, `${path}[${i}]`));
        } else if (typeof value === "object" && value !== null && Object.keys(value).length > 0) {
            if (secretMark in value) {
                leaves.set(path, value);
                return;
            }
            for (const [key, inner] of Object.entries(value)) {
                walk(inner, `${path}.${key}`);
            }
        } else {
            leaves.set(path, value);
        }
    };
    walk(resource.inputs, "inputs");
    walk(resource.provider, "provider");
    walk(resource.options, "options");
    return leaves;
}

function changeOf(key: string, before: RenderedResource, after: RenderedResource): ResourceChange | undefined {
    const a = flatten(before);
    const b = flatten(after);
    const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
    const replaceOn = after.options.replaceOnChanges ?? [];
    const fields = paths
        .filter((path) => JSON.stringify(a.get(path)) !== JSON.stringify(b.get(path)))
        .map((path) => ({ path, before: a.get(path), after: b.get(path), forcesReplacement: replaces(after.type, path, replaceOn) }));
    if (fields.length === 0) {
        return undefined;
    }
    const kind = fields.some((f) => f.forcesReplacement) ? "replace" : "update";
    return { key, type: after.type, name: after.name, kind, fields };
}

/** The same resource has the same key in every stack; the stack itself is named after its stack. */
function keyOf(resource: RenderedResource): string {
    return resource.type === "pulumi:pulumi:Stack" ? "stack" : stacklessUrn(resource.urn);
}

/** What changes when the desired state goes from `base` to `head`. */
export function diffRenders(base: Rendered, head: Rendered): RenderDiff {
    const before = new Map(base.resources.map((r) => [keyOf(r), r]));
    const after = new Map(head.resources.map((r) => [keyOf(r), r]));
    const diff: RenderDiff = { added: [], removed: [], changed: [], unchanged: 0 };
    for (const [key, resource] of after) {
        const old = before.get(key);
        if (!old) {
            diff.added.push(resource);
            continue;
        }
        const change = changeOf(key, old, resource);
        if (change) {
            diff.changed.push(change);
        } else {
            diff.unchanged++;
        }
    }
    diff.removed = [...before].filter(([key]) => !after.has(key)).map(([, resource]) => resource);
    return diff;
}

function show(value: unknown): string {
    if (value === undefined) {
        return "(unset)";
    }
    if (typeof value === "object" && value !== null && secretMark in value) {
        return "[secret]";
    }
    const text = JSON.stringify(value);
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** The diff as a reviewer reads it in a pull request: one line per resource, one per changed field. */
export function formatDiff(diff: RenderDiff, title: string): string {
    const lines = [title, ""];
    for (const r of diff.added) {
        lines.push(`+ create   ${r.type}  ${r.name}`);
    }
    for (const r of diff.removed) {
        lines.push(`- delete   ${r.type}  ${r.name}${r.options.protect ? "  (protected: the deletion will fail)" : ""}`);
    }
    for (const c of diff.changed) {
        lines.push(`${c.kind === "replace" ? "+-replace" : "~ update "}  ${c.type}  ${c.name}`);
        for (const f of c.fields) {
            const mark = f.forcesReplacement ? "  (forces replacement)" : "";
            lines.push(`      ${f.path.replace(/^inputs\./, "")}: ${show(f.before)} → ${show(f.after)}${mark}`);
        }
    }
    if (diff.added.length + diff.removed.length + diff.changed.length === 0) {
        lines.push("No changes.");
    }
    const replaced = diff.changed.filter((c) => c.kind === "replace").length;
    lines.push(
        "",
        `${diff.added.length} to create, ${diff.changed.length - replaced} to update, ${replaced} to replace, ` +
            `${diff.removed.length} to delete, ${diff.unchanged} unchanged`,
    );
    return lines.join("\n");
}
