import * as pulumi from "@pulumi/pulumi";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";

// A created resource's state as the mock monitor sends it back: what the SDK's serializeProperties
// writes (@pulumi/pulumi runtime/rpc.js, serializeProperty). That walk awaits every value, one
// promise per leaf; state of plain data, as the fake cloud's nearly always is, is written at once.

/** Plain data: JSON's values, and undefined and functions, which the wire drops. No resource, asset, output, promise or unknown. */
function isPlain(value: unknown): boolean {
    switch (typeof value) {
        case "undefined":
        case "boolean":
        case "number":
        case "string":
        case "function":
            return true;
        case "object":
            break;
        default:
            return false;
    }
    if (value === null) {
        return true;
    }
    if (Array.isArray(value)) {
        return Array.from(value).every(isPlain);
    }
    const prototype = Object.getPrototypeOf(value);
    // The SDK recognizes its own objects by a `__pulumi…` member (utils.isInstance), whatever their
    // prototype; a `__proto__` member it writes as a prototype, not as a member.
    return (prototype === Object.prototype || prototype === null) && Object.keys(value).every((key) => key !== "__proto__" && !key.startsWith("__pulumi") && isPlain((value as Record<string, unknown>)[key]));
}

/**
 * Plain data as serializeProperty writes it (functions and undefined members dropped, undefined
 * list items null), each object's keys in sorted order as a Struct gives them back.
 */
function plainWire(value: unknown): unknown {
    if (typeof value === "function") {
        return undefined;
    }
    if (Array.isArray(value)) {
        return Array.from(value, (item) => plainWire(item) ?? null);
    }
    if (typeof value !== "object" || value === null) {
        return value;
    }
    const wire: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
        const item = plainWire((value as Record<string, unknown>)[key]);
        if (item !== undefined) {
            wire[key] = item;
        }
    }
    return wire;
}

/**
 * `state` as MockMonitor answers it: written by `pulumi.runtime.serializeProperties` and read back
 * from a protobuf Struct (each object's keys sorted: google-protobuf's jspb.Map iterates them so).
 */
export async function serializeState(state: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (isPlain(state)) {
        return plainWire(state) as Record<string, unknown>;
    }
    return Struct.fromJavaScript((await pulumi.runtime.serializeProperties("", state)) as never).toJavaScript();
}
