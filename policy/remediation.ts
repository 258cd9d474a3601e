import type { PropertyPath } from "./rules/types";

/**
 * CrossGuard's `Secret` class (`@pulumi/policy`), handed in by the pack's entry point: this module
 * stays free of the SDK at run time, so the program's tests can load it beside their own Pulumi.
 */
export type SecretClass = new (value: unknown) => { value: unknown };

// A remediation receives the inputs behind two proxies (@pulumi/policy 1.21.0 server.ts,
// makeRemediateRpcFun: `unknownCheckingProxy(deserializeProperties(props, true))`) whose `get`
// unwraps each secret; they trap nothing else, so a property descriptor reads the stored value,
// a `Secret` where the engine sent a secret.

/** The stored values of a remediation's inputs: secrets still wrapped in `Secret`. */
export function storedProps(props: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(Object.keys(props).map((key) => [key, Object.getOwnPropertyDescriptor(props, key)?.value]));
}

/** The value as a rule reads it: every `Secret` replaced by what it holds. */
export function plainOf(value: unknown, secret: SecretClass): unknown {
    if (value instanceof secret) {
        return plainOf(value.value, secret);
    }
    if (Array.isArray(value)) {
        return value.map((item) => plainOf(item, secret));
    }
    if (typeof value !== "object" || value === null) {
        return value;
    }
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, plainOf(inner, secret)]));
}

/** True when the value at `path`, or a value enclosing it, is a `Secret`. */
export function sealedAt(value: unknown, path: PropertyPath, secret: SecretClass): boolean {
    let current = value;
    for (const key of [...path, undefined]) {
        if (current instanceof secret) {
            return true;
        }
        if (key === undefined || typeof current !== "object" || current === null) {
            return false;
        }
        current = (current as Record<string | number, unknown>)[key];
    }
    return false;
}

/** A copy of the stored values with the value at each path wrapped in a `Secret`; the rest kept as stored. */
export function sealPaths(stored: Record<string, unknown>, paths: readonly PropertyPath[], secret: SecretClass): Record<string, unknown> {
    const seal = (value: unknown, path: PropertyPath): unknown => {
        if (path.length === 0) {
            return value instanceof secret ? value : new secret(value);
        }
        if (typeof value !== "object" || value === null || value instanceof secret) {
            return value;
        }
        const [key, ...rest] = path;
        const copy = (Array.isArray(value) ? [...value] : { ...value }) as Record<string | number, unknown>;
        if (key in copy) {
            copy[key] = seal(copy[key], rest);
        }
        return copy;
    };
    return paths.reduce<Record<string, unknown>>((props, path) => seal(props, path) as Record<string, unknown>, stored);
}
