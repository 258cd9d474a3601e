import * as pulumi from "@pulumi/pulumi";

const rpc = pulumi.runtime;

/** Marks a secret in a render: `{"@secret": value}`. */
export const secretMark = "@secret";
/** Marks a reference to another resource: `{"@resource": urn}`. */
export const resourceMark = "@resource";
/** Stands where a value is not known until deployment. */
export const unknownText = "[unknown]";

/**
 * Turns a value as it travels to the engine (with Pulumi's signature objects for secrets,
 * resource references, assets and unknowns) into plain JSON a reviewer can read.
 */
export function fromWire(value: unknown): unknown {
    if (value === rpc.unknownValue) {
        return unknownText;
    }
    if (Array.isArray(value)) {
        return value.map(fromWire);
    }
    if (typeof value !== "object" || value === null) {
        return value;
    }
    const object = value as Record<string, unknown>;
    switch (object[rpc.specialSigKey]) {
        case rpc.specialSecretSig:
            return { [secretMark]: fromWire(object.value) };
        case rpc.specialResourceSig:
            return { [resourceMark]: object.urn };
        case rpc.specialAssetSig:
            return { "@asset": object.path ?? object.uri ?? object.text };
        case rpc.specialArchiveSig:
            return { "@archive": object.path ?? object.uri ?? fromWire(object.assets) };
        case rpc.specialOutputValueSig: {
            const inner = "value" in object ? fromWire(object.value) : unknownText;
            return object.secret ? { [secretMark]: inner } : inner;
        }
        default:
            return Object.fromEntries(
                Object.keys(object)
                    .sort()
                    .map((key) => [key, fromWire(object[key])]),
            );
    }
}

/** The value with every secret mark removed: what the resource receives once decrypted. */
export function reveal(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(reveal);
    }
    if (typeof value !== "object" || value === null) {
        return value;
    }
    const object = value as Record<string, unknown>;
    if (secretMark in object && Object.keys(object).length === 1) {
        return reveal(object[secretMark]);
    }
    return Object.fromEntries(Object.entries(object).map(([key, inner]) => [key, reveal(inner)]));
}

/** True when the value is marked secret at its top. */
export function isSecret(value: unknown): boolean {
    return typeof value === "object" && value !== null && secretMark in value;
}
