import { secretMark } from "./wire";

/**
 * One difference inside a resource. `value`: a leaf changed from `before` to `after` (either may
 * be absent). `members`: a list of scalars gained `added` and lost `removed`, order aside.
 * `order`: a list of scalars holds the same members in another order.
 */
export type FieldDifference =
    | { kind: "value"; path: string; before: unknown; after: unknown }
    | { kind: "members"; path: string; added: unknown[]; removed: unknown[]; before: unknown[]; after: unknown[] }
    | { kind: "order"; path: string; before: unknown[]; after: unknown[] };

/** Fields that tell the items of a list of objects apart, most telling first (Kubernetes merge keys among them). */
export const identityKeys = ["name", "key", "port", "containerPort", "mountPath", "devicePath", "id", "sid", "ip"];

type Scalar = string | number | boolean | null;

const isScalar = (value: unknown): value is Scalar => value === null || ["string", "number", "boolean"].includes(typeof value);
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const isSecretValue = (value: unknown) => isRecord(value) && secretMark in value;
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** URNs name their stack; without it, the same resource of two stacks reads the same. */
export function stacklessUrn(urn: string): string {
    return urn.replace(/^urn:pulumi:[^:]+::/, "urn:pulumi:*::");
}

/** JSON held in a string (a policy document, a container definition) is compared as the structure it is. */
function opened(value: unknown): unknown {
    if (typeof value !== "string") {
        return value;
    }
    if (value.startsWith("urn:pulumi:")) {
        return stacklessUrn(value);
    }
    if (!/^\s*[[{]/.test(value)) {
        return value;
    }
    try {
        return JSON.parse(value);
    } catch {
        return value;
    }
}

/** The key that names every item of both lists, once per list; undefined when none does. */
export function identityKeyOf(before: readonly unknown[], after: readonly unknown[]): string | undefined {
    const items = [...before, ...after];
    if (items.length === 0 || !items.every(isRecord)) {
        return undefined;
    }
    const unique = (list: readonly unknown[], key: string) => new Set(list.map((item) => JSON.stringify((item as Record<string, unknown>)[key]))).size === list.length;
    return identityKeys.find(
        (key) => items.every((item) => isScalar((item as Record<string, unknown>)[key]) && (item as Record<string, unknown>)[key] !== null) && unique(before, key) && unique(after, key),
    );
}

/** Each member of `from` that `to` lacks, counted: `[a, a]` against `[a]` lacks one `a`. */
function missingFrom(from: readonly Scalar[], to: readonly Scalar[]): Scalar[] {
    const left = new Map<string, number>();
    for (const item of to) {
        left.set(JSON.stringify(item), (left.get(JSON.stringify(item)) ?? 0) + 1);
    }
    return from.filter((item) => {
        const count = left.get(JSON.stringify(item)) ?? 0;
        left.set(JSON.stringify(item), count - 1);
        return count <= 0;
    });
}

function scalarLists(path: string, before: Scalar[], after: Scalar[], unordered: (path: string) => boolean): FieldDifference[] {
    const added = missingFrom(after, before);
    const removed = missingFrom(before, after);
    if (added.length + removed.length > 0) {
        return [{ kind: "members", path, added, removed, before, after }];
    }
    return same(before, after) || unordered(path) ? [] : [{ kind: "order", path, before, after }];
}

function lists(path: string, before: unknown[], after: unknown[], unordered: (path: string) => boolean): FieldDifference[] {
    if ([...before, ...after].every(isScalar)) {
        // A member that reads as JSON is a value of the list, not a document to open; a URN still loses its stack.
        const member = (value: unknown) => (typeof value === "string" && value.startsWith("urn:pulumi:") ? stacklessUrn(value) : value) as Scalar;
        return scalarLists(path, before.map(member), after.map(member), unordered);
    }
    const key = identityKeyOf(before, after);
    if (key === undefined) {
        const length = Math.max(before.length, after.length);
        return Array.from({ length }, (_, i) => compare(`${path}[${i}]`, before[i], after[i], unordered)).flat();
    }
    const byKey = (list: unknown[]) => new Map(list.map((item) => [(item as Record<string, unknown>)[key] as Scalar, item]));
    const old = byKey(before);
    const now = byKey(after);
    const keys = [...new Set([...old.keys(), ...now.keys()])];
    return keys.flatMap((id) => compare(`${path}[${key}=${String(id)}]`, old.get(id), now.get(id), unordered));
}

/**
 * Every difference between two values, by path (`spec.containers[name=api].image`): JSON text is
 * opened up, lists of objects are matched by their identity key (else by position), lists of
 * scalars by their members, with a change of order reported unless `unordered(path)` says order
 * has no meaning there. A secret is one leaf.
 */
export function compare(path: string, before: unknown, after: unknown, unordered: (path: string) => boolean = () => false): FieldDifference[] {
    const a = opened(before);
    const b = opened(after);
    if (same(a, b)) {
        return [];
    }
    const emptyList = (value: unknown) => value === undefined || (Array.isArray(value) && value.length === 0);
    if ((Array.isArray(a) || Array.isArray(b)) && (Array.isArray(a) || emptyList(a)) && (Array.isArray(b) || emptyList(b))) {
        const listA = (a ?? []) as unknown[];
        const listB = (b ?? []) as unknown[];
        if (listA.length > 0 || listB.length > 0) {
            return lists(path, listA, listB, unordered);
        }
    }
    const openable = (value: unknown) => value === undefined || (isRecord(value) && !isSecretValue(value) && Object.keys(value).length > 0);
    if ((isRecord(a) || isRecord(b)) && openable(a) && openable(b)) {
        const objA = (a ?? {}) as Record<string, unknown>;
        const objB = (b ?? {}) as Record<string, unknown>;
        const keys = [...new Set([...Object.keys(objA), ...Object.keys(objB)])].sort();
        return keys.flatMap((key) => compare(path ? `${path}.${key}` : key, objA[key], objB[key], unordered));
    }
    return [{ kind: "value", path, before: a, after: b }];
}
