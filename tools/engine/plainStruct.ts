/**
 * What the SDK reads of a `google.protobuf.Struct` (only `toJavaScript`) holding `value`, which is
 * already what a Struct's `toJavaScript` gives: the mock monitor hands the SDK plain values, so
 * encoding them into protobuf messages only for the SDK to decode them again is work a render
 * skips. The SDK's readers of a Struct's value (runtime/rpc.js deserializeProperties) build new
 * values from it and never change it, so it is handed over as it is.
 */
export function plainStruct(value: Record<string, unknown>): { toJavaScript(): Record<string, unknown> } {
    return { toJavaScript: () => value };
}
