import * as pulumi from "@pulumi/pulumi";
import { structValue } from "./plainStruct";

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
    // The SDK recognizes its own objects by a `__pulumi…` member (utils.isInstance), whatever their prototype.
    return (prototype === Object.prototype || prototype === null) && Object.keys(value).every((key) => !key.startsWith("__pulumi") && isPlain((value as Record<string, unknown>)[key]));
}

/**
 * Plain data as serializeProperty writes it (functions and undefined members dropped, undefined
 * list items null), each object's keys in sorted order as a Struct carries them.
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

/** `state` as `pulumi.runtime.serializeProperties` writes it, read back from a Struct ({@link structValue}). */
export async function serializeState(state: Record<string, unknown>): Promise<Record<string, unknown>> {
    const wire = isPlain(state) ? plainWire(state) : structValue(await pulumi.runtime.serializeProperties("", state));
    return wire as Record<string, unknown>;
}
