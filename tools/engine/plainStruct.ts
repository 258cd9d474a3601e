/**
 * A value as a protobuf Struct carries it, read back with google-protobuf's `toJavaScript`: the
 * same JSON value, each object's keys in sorted order (its map iterates its keys sorted,
 * google-protobuf.js jspb.Map), lists in their order.
 */
export function structValue(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(structValue);
    }
    if (typeof value !== "object" || value === null) {
        return value;
    }
    const object = value as Record<string, unknown>;
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(object).sort()) {
        copy[key] = structValue(object[key]);
    }
    return copy;
}

/**
 * What the SDK reads of a `google.protobuf.Struct` (only `toJavaScript`), holding `value`, which
 * is already as {@link structValue} gives it: the mock monitor hands the SDK plain values, so
 * encoding them into protobuf messages only for the SDK to decode them again is work a render
 * skips. The SDK's readers of a Struct's value (runtime/rpc.js deserializeProperties) build new
 * values from it and never change it, so it is handed over as it is.
 */
export function plainStruct(value: Record<string, unknown>): { toJavaScript(): Record<string, unknown> } {
    return { toJavaScript: () => value };
}
