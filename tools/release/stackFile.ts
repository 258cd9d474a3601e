import isEqual from "lodash/isEqual";
import set from "lodash/set";
import unset from "lodash/unset";
import YAML, { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from "yaml";
import type { Profile } from "../../config";

/** One change to the stack file: a path under `config` and its new value, or the key's removal. */
export type Edit = { readonly path: readonly (string | number)[]; readonly value: unknown } | { readonly path: readonly (string | number)[]; readonly remove: true };

/** A service entry as the stack file holds it: only what it sets. */
export type StackService = Record<string, unknown> & { name?: string };

/** The services and profile a stack file declares, as written (no defaults applied). */
export function readStackFile(text: string): { profile: Profile; services: StackService[] } {
    const document = YAML.parseDocument(text);
    const services = ((document.getIn(["config", "platform:services"]) as YAML.YAMLSeq | undefined)?.toJSON() ?? []) as StackService[];
    return { profile: String(document.getIn(["config", "platform:profile"])) as Profile, services };
}

/**
 * The stack file with the edits made. The text is spliced, never re-printed: every byte outside
 * the edited keys stays as it was (comments, quoting, `[a, b]` flow lists), where the `yaml`
 * library's `Document.toString()` would re-print the whole file in its own style.
 */
export function applyEdits(text: string, edits: readonly Edit[]): string {
    const expected = YAML.parse(text) ?? {};
    let edited = text;
    for (const edit of edits) {
        const path = ["config", ...edit.path];
        edited = applyEdit(edited, path, edit);
        if ("remove" in edit) {
            unset(expected, path);
        } else {
            set(expected, path, edit.value);
        }
    }
    // A splice that misread the layout would change the meaning of the file: refuse to write it.
    if (!isEqual(YAML.parse(edited), expected)) {
        throw new Error("editing the stack file would change more than the keys asked for; it was left as it was");
    }
    return edited;
}

function keyOf(pair: Pair): unknown {
    return isScalar(pair.key) ? pair.key.value : pair.key;
}

/** Where a node's content ends: past the last item of a block collection, past the value otherwise. */
function contentEnd(node: Node | null | undefined, fallback: number): number {
    if ((isMap(node) || isSeq(node)) && !node.flow && node.items.length > 0) {
        const last = node.items[node.items.length - 1] as Node | Pair;
        if (isMap(node)) {
            const pair = last as Pair;
            return contentEnd(pair.value as Node | null, (pair.key as Node).range?.[1] ?? fallback);
        }
        return contentEnd(last as Node, fallback);
    }
    return node?.range?.[1] ?? fallback;
}

const lineStart = (text: string, offset: number) => text.lastIndexOf("\n", offset - 1) + 1;
const lineEnd = (text: string, offset: number) => {
    const newline = text.indexOf("\n", offset);
    return newline < 0 ? text.length : newline + 1;
};

/** The value as block YAML lines under `key`, indented by `indent`; small leaf collections stay on one line. */
function renderPair(key: string | number, value: unknown, indent: number, newline: string): string {
    const document = new YAML.Document({ [key]: value });
    YAML.visit(document, {
        Map: (_, map, path) => {
            // The pair's own value stays a block; deeper collections of scalars fit on a line.
            map.flow = path.length > 2 && map.items.every((pair) => isScalar(pair.value)) && map.items.length <= 8;
        },
        Seq: (_, seq, path) => {
            seq.flow = path.length > 2 && seq.items.every((item) => isScalar(item));
        },
    });
    const lines = document.toString({ indent: 2, lineWidth: 0, flowCollectionPadding: false }).trimEnd().split("\n");
    return lines.map((line) => `${" ".repeat(indent)}${line}${newline}`).join("");
}

function scalarText(value: unknown): string {
    return YAML.stringify(value).trimEnd();
}

/** The text with a block pair's lines replaced by `next` rendered at the same indentation, or removed. */
function replacePair(text: string, pair: Pair, value: Node | null, next: { key: string | number; value: unknown } | undefined, newline: string): string {
    const key = pair.key as Node;
    const start = lineStart(text, key.range?.[0] ?? 0);
    if (text.slice(start, key.range?.[0]).trim() !== "") {
        throw new Error(`cannot rewrite ${String(keyOf(pair))}: it shares its line with another key`);
    }
    const end = lineEnd(text, contentEnd(value, key.range?.[1] ?? start));
    const indent = (key.range?.[0] ?? start) - start;
    return text.slice(0, start) + (next ? renderPair(next.key, next.value, indent, newline) : "") + text.slice(end);
}

function applyEdit(text: string, path: readonly (string | number)[], edit: Edit): string {
    const newline = text.includes("\r\n") ? "\r\n" : "\n";
    const document = YAML.parseDocument(text);
    if (document.errors.length > 0) {
        throw new Error(`the stack file is not valid YAML: ${document.errors[0].message}`);
    }
    let node = document.contents as Node | null;
    let parent: YAMLMap | undefined;
    let pair: Pair | undefined;
    let depth = 0;
    for (; depth < path.length; depth++) {
        const step = path[depth];
        if (isMap(node)) {
            const found = node.items.find((item) => keyOf(item) === step);
            if (!found) {
                break;
            }
            [parent, pair, node] = [node, found, found.value as Node | null];
        } else if (isSeq(node) && typeof step === "number" && step < node.items.length) {
            [parent, pair, node] = [undefined, undefined, node.items[step] as Node];
        } else {
            throw new Error(`the stack file has no ${path.slice(0, depth + 1).join(".")} to edit`);
        }
    }
    const remove = "remove" in edit;
    if (depth === path.length) {
        if (!remove && isScalar(node) && !isMap(edit.value) && (typeof edit.value !== "object" || edit.value === null)) {
            const [start, end] = node.range as [number, number, number];
            return text.slice(0, start) + scalarText(edit.value) + text.slice(end);
        }
        if (!parent || !pair || parent.flow) {
            throw new Error(`cannot rewrite ${path.join(".")} in place`);
        }
        if (remove && parent.items.length === 1) {
            throw new Error(`removing ${path.join(".")} would leave its parent empty`);
        }
        return replacePair(text, pair, node, remove ? undefined : { key: path[path.length - 1], value: edit.value }, newline);
    }
    if (remove) {
        return text;
    }
    // The key is missing: nest the rest of the path under it and add it at the end of the map.
    const value = path.slice(depth + 1).reduceRight<unknown>((inner, key) => ({ [key]: inner }), edit.value);
    if (isMap(node) && node.flow && pair) {
        // A one-line mapping gets the new key by being written out as a block, itself only.
        const merged = node.toJSON() as Record<string, unknown>;
        merged[String(path[depth])] = value;
        return replacePair(text, pair, node, { key: path[depth - 1], value: merged }, newline);
    }
    if (!isMap(node) || node.flow || node.items.length === 0) {
        throw new Error(`cannot add ${path.slice(0, depth + 1).join(".")}: its parent is not a block mapping`);
    }
    const first = node.items[0].key as Node;
    const indent = (first.range?.[0] ?? 0) - lineStart(text, first.range?.[0] ?? 0);
    const at = lineEnd(text, contentEnd(node, first.range?.[1] ?? 0));
    const before = at === text.length && !text.endsWith("\n") ? newline : "";
    return text.slice(0, at) + before + renderPair(path[depth], value, indent, newline) + text.slice(at);
}
