import type { Profile } from "../config";

// The image pipeline's decisions, free of Pulumi so they are tested on their own.

const separators = /[._-]+/g;

/**
 * The ECR repository of a service: `<project>-<stack>/<service>`, lowercased and reduced to the
 * characters ECR allows, so two stacks in one account and region never share a repository.
 */
export function repositoryName(project: string, stack: string, service: string): string {
    const clean = (part: string) =>
        part
            .toLowerCase()
            .replace(/[^a-z0-9._-]+/g, "-")
            .replace(separators, (run) => run[0])
            .replace(/^[._-]+|[._-]+$/g, "") || "x";
    return `${clean(`${project}-${stack}`)}/${clean(service)}`.slice(0, 256);
}

/** What ECR accepts as a repository name. */
export const ecrRepositoryPattern = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

/** One rule of an ECR lifecycle policy. */
export interface LifecycleRule {
    rulePriority: number;
    description: string;
    selection: {
        tagStatus: "untagged" | "tagged" | "any";
        tagPatternList?: string[];
        countType: "imageCountMoreThan" | "sinceImagePushed";
        countUnit?: "days";
        countNumber: number;
    };
    action: { type: "expire" };
}

/**
 * The lifecycle policy of every repository: untagged images (layers left behind by rebuilt
 * manifests) expire a day after push; of the tagged ones the newest `keepTagged` stay.
 */
export function lifecyclePolicy(keepTagged: number): { rules: LifecycleRule[] } {
    return {
        rules: [
            {
                rulePriority: 1,
                description: "Expire untagged images a day after they were pushed",
                selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 1 },
                action: { type: "expire" },
            },
            {
                rulePriority: 2,
                description: `Keep the ${keepTagged} most recent tagged images`,
                selection: { tagStatus: "tagged", tagPatternList: ["*"], countType: "imageCountMoreThan", countNumber: keepTagged },
                action: { type: "expire" },
            },
        ],
    };
}

/** How a repository encrypts its layers: a customer-managed KMS key in production, AES-256 in dev. */
export function repositoryEncryption(profile: Profile): "KMS" | "AES256" {
    return profile === "production" ? "KMS" : "AES256";
}

/** Only dev repositories are deleted with their images; production refuses while images remain. */
export function repositoryForceDelete(profile: Profile): boolean {
    return profile === "dev";
}

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
