// Image references: what a version of a service names, free of Pulumi.

/** An image reference split into repository, tag and digest. */
export interface ImageReference {
    repository: string;
    tag?: string;
    digest?: string;
}

/** Splits `registry:5000/path/name:tag@sha256:...`; a colon before the last slash belongs to the registry. */
export function parseImageReference(reference: string): ImageReference {
    const [withoutDigest, digest] = reference.split("@", 2);
    const slash = withoutDigest.lastIndexOf("/");
    const colon = withoutDigest.lastIndexOf(":");
    const hasTag = colon > slash;
    return {
        repository: hasTag ? withoutDigest.slice(0, colon) : withoutDigest,
        ...(hasTag ? { tag: withoutDigest.slice(colon + 1) } : {}),
        ...(digest !== undefined ? { digest } : {}),
    };
}

/** The version a prebuilt image stands for: its tag, or its digest when it has no tag. */
export function prebuiltVersion(reference: string): string {
    const { tag, digest } = parseImageReference(reference);
    return tag ?? (digest as string);
}

/**
 * What a Deployment runs for `version` of a prebuilt image: the configured reference itself
 * when `version` is its tag or its digest; undefined for any other version, which a prebuilt
 * image cannot provide (the stack names another image instead).
 */
export function prebuiltRefFor(reference: string, version: string): string | undefined {
    const { tag, digest } = parseImageReference(reference);
    return version === tag || version === digest ? reference : undefined;
}

/** A version that names an image by digest rather than by tag. */
export const isDigest = (version: string) => /^sha256:[0-9a-f]{64}$/.test(version);
