import type { Profile } from "../../config";

// The ECR repository of a service: its name, lifecycle, encryption and deletion, free of Pulumi.

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
