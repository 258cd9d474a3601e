import type { FieldChange, RenderDiff, ResourceChange } from "./diff";
import { changeLines, inlineWidth, valueText } from "./valueText";

const indent = "      ";
const detailIndent = `${indent}  `;

/** Field paths as a reviewer reads them: inputs bare, options and provider named. */
const shownPath = (path: string) => path.replace(/^inputs\./, "");

const digestOf = (value: unknown) => (typeof value === "string" ? /@(sha256:[0-9a-f]{64})$/.exec(value)?.[1] : undefined);

/** `tag v1 → v2` for a change between image digests whose tags the renders know. */
function tagChange(field: FieldChange & { kind: "value" }, tags: Record<string, string>): string | undefined {
    const before = digestOf(field.before);
    const after = digestOf(field.after);
    if (!before && !after) {
        return undefined;
    }
    // A reference may carry its tag (`repo:1.27@sha256:…`); else the render's registry knows it, or nothing does.
    const inRef = (value: unknown) => /:([\w][\w.-]*)@sha256:/.exec(String(value))?.[1];
    const tag = (digest: string | undefined, value: unknown) => (digest ? (inRef(value) ?? tags[digest] ?? "(no tag known)") : valueText(value));
    return `tag ${tag(before, field.before)} → ${tag(after, field.after)}`;
}

function memberLines(path: string, added: unknown[], removed: unknown[]): string[] {
    const members = [...added.map((m) => `+ ${valueText(m)}`), ...removed.map((m) => `- ${valueText(m)}`)];
    const inline = members.join(", ");
    return inline.length <= inlineWidth ? [`${indent}${path}: ${inline}`] : [`${indent}${path}:`, ...members.map((m) => `${detailIndent}${m}`)];
}

function fieldLines(field: FieldChange, tags: Record<string, string>): string[] {
    const path = shownPath(field.path);
    const mark = field.forcesReplacement ? "  (forces replacement)" : "";
    if (field.kind === "members") {
        const lines = memberLines(path, field.added, field.removed);
        lines[0] += mark;
        return lines;
    }
    if (field.kind === "order") {
        const change = changeLines(field.before, field.after);
        return change.inline
            ? [`${indent}${path}: order ${change.inline}${mark}`]
            : [`${indent}${path}: order${mark}`, ...change.lines.map((l) => `${detailIndent}${l}`)];
    }
    const tag = tagChange(field, tags);
    const change = changeLines(field.before, field.after);
    if (change.inline && !tag) {
        return [`${indent}${path}: ${change.inline}${mark}`];
    }
    const lines = change.inline ? [`- ${valueText(field.before)}`, `+ ${valueText(field.after)}`] : change.lines;
    return [`${indent}${path}:${tag ? ` ${tag}` : ""}${mark}`, ...lines.map((l) => `${detailIndent}${l}`)];
}

function headerOf(change: ResourceChange): string {
    if (change.kind === "update") {
        return `~ update   ${change.type}  ${change.name}`;
    }
    const forcing = [...new Set(change.fields.filter((f) => f.forcesReplacement).map((f) => shownPath(f.path)))];
    return `+-replace  ${change.type}  ${change.name}  (replaced: ${forcing.join(", ")} cannot change in place)`;
}

/**
 * The diff as a reviewer reads it in a pull request: what each service's release does, in
 * words; then one line per resource and the fields that change under it, none cut where it
 * differs; then the counts.
 */
export function formatDiff(diff: RenderDiff, title: string): string {
    const lines = [title, ""];
    if (diff.releases.length > 0) {
        lines.push("Releases:", ...diff.releases.map((r) => `  ${r}`), "");
    }
    for (const r of diff.added) {
        lines.push(`+ create   ${r.type}  ${r.name}`);
    }
    for (const r of diff.removed) {
        lines.push(`- delete   ${r.type}  ${r.name}${r.options.protect ? "  (protected: the deletion will fail)" : ""}`);
    }
    for (const c of diff.changed) {
        lines.push(headerOf(c), ...c.fields.flatMap((f) => fieldLines(f, diff.imageTags)));
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
