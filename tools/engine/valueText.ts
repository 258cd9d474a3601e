import { diffChars, structuredPatch } from "diff";
import { secretMark } from "./wire";

/** A value this long or shorter is shown whole on the field's line. */
export const inlineWidth = 100;
/** A string this long or shorter is shown whole on a line of its own. */
export const wholeWidth = 400;
/** Characters kept at each end of a longer string, and on each side of a change inside it. */
export const endWidth = 60;
export const contextWidth = 40;

/** How a value reads in a diff: JSON, `(unset)` when absent, `[secret]` for a secret. */
export function valueText(value: unknown): string {
    if (value === undefined) {
        return "(unset)";
    }
    if (typeof value === "object" && value !== null && secretMark in value) {
        return "[secret]";
    }
    return JSON.stringify(value);
}

/** Inside-the-quotes JSON text of a piece of a string. */
const escaped = (text: string) => JSON.stringify(text).slice(1, -1);

/** Character ranges `[start, end)` of `text` worth keeping: both ends and the changed spans with some context. */
function keptRanges(length: number, changed: Array<[number, number]>): Array<[number, number]> {
    const around = changed.map(([start, end]): [number, number] => [Math.max(0, start - contextWidth), Math.min(length, end + contextWidth)]);
    const ends: Array<[number, number]> = [
        [0, Math.min(length, endWidth)],
        [Math.max(0, length - endWidth), length],
    ];
    const wanted = [...ends, ...around].sort((a, b) => a[0] - b[0]);
    const merged: Array<[number, number]> = [];
    for (const range of wanted) {
        const last = merged[merged.length - 1];
        if (last && range[0] <= last[1]) {
            last[1] = Math.max(last[1], range[1]);
        } else {
            merged.push([range[0], range[1]]);
        }
    }
    return merged;
}

/** `text` as a JSON string with the unchanged stretches between kept ranges replaced by `…(N characters)…`. */
function elided(text: string, changed: Array<[number, number]>): string {
    if (text.length <= wholeWidth) {
        return JSON.stringify(text);
    }
    const parts: string[] = [];
    let at = 0;
    for (const [start, end] of keptRanges(text.length, changed)) {
        if (start > at) {
            parts.push(`…(${start - at} characters)…`);
        }
        parts.push(escaped(text.slice(start, end)));
        at = end;
    }
    return `"${parts.join("")}"`;
}

/** The spans of `before` that were removed and of `after` that were added, by character. */
function changedSpans(before: string, after: string): { removed: Array<[number, number]>; added: Array<[number, number]> } {
    const removed: Array<[number, number]> = [];
    const added: Array<[number, number]> = [];
    let atBefore = 0;
    let atAfter = 0;
    for (const part of diffChars(before, after)) {
        const length = part.value.length;
        if (part.removed) {
            removed.push([atBefore, atBefore + length]);
            atBefore += length;
        } else if (part.added) {
            added.push([atAfter, atAfter + length]);
            atAfter += length;
        } else {
            atBefore += length;
            atAfter += length;
        }
    }
    return { removed, added };
}

/** A unified patch of two multi-line strings, two lines of context, without file headers. */
function linePatch(before: string, after: string): string[] {
    const patch = structuredPatch("before", "after", before, after, undefined, undefined, { context: 2 });
    return patch.hunks.flatMap((hunk) => [`@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`, ...hunk.lines]);
}

/**
 * A changed value as lines a reviewer reads whole: short values inline (`a → b`); longer strings
 * on `-`/`+` lines of their own, each cut only in stretches both sides share, so every change and
 * both ends (closing quote included) stay visible; multi-line strings as a unified patch.
 */
export function changeLines(before: unknown, after: unknown): { inline?: string; lines: string[] } {
    const a = valueText(before);
    const b = valueText(after);
    if (a.length <= inlineWidth && b.length <= inlineWidth) {
        return { inline: `${a} → ${b}`, lines: [] };
    }
    if (typeof before === "string" && typeof after === "string") {
        if (before.includes("\n") || after.includes("\n")) {
            return { lines: linePatch(before, after) };
        }
        const spans = changedSpans(before, after);
        return { lines: [`- ${elided(before, spans.removed)}`, `+ ${elided(after, spans.added)}`] };
    }
    // One side absent or not text: all of it is the change, so all of it shows.
    return { lines: [`- ${a}`, `+ ${b}`] };
}
