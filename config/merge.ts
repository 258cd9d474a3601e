type Plain = Record<string, unknown>;

function isPlainObject(value: unknown): value is Plain {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Lays what the stack file gives over the profile's defaults: objects merge key by key,
 * everything else (lists included) replaces the default whole, so a stack that lists its
 * node groups gets exactly those.
 */
export function mergeOverDefaults(defaults: unknown, given: unknown): unknown {
    if (given === undefined) {
        return defaults;
    }
    if (!isPlainObject(defaults) || !isPlainObject(given)) {
        return given;
    }
    const merged: Plain = { ...defaults };
    for (const [key, value] of Object.entries(given)) {
        merged[key] = mergeOverDefaults(defaults[key], value);
    }
    return merged;
}
