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
 * The lifecycle policy of every repository, its rules in ascending priority (ECR returns them so;
 * in another order the provider sees a change on every update: aws.ecr.LifecyclePolicy docs,
 * terraform-provider-aws website/docs/r/ecr_lifecycle_policy.html.markdown). Untagged images (layers
 * left behind by rebuilt manifests) expire a day after push. Then each tag in `keptTags` (the
 * versions the Deployments run or can roll back to) gets a rule of its own that selects exactly
 * that tag and expires only beyond one image: a tag names one image, so it never expires, and "an
 * image that matches the tagging requirements of a rule cannot be expired by a rule with a lower
 * priority" (Amazon ECR User Guide, "Automate the cleanup of images by using lifecycle policies",
 * lifecycle policy evaluation rules). One rule per tag, since a `tagPatternList` of several tags
 * selects only images carrying all of them (ibid., "Lifecycle policy properties"). Last, of the
 * other tagged images the newest `keepTagged` stay.
 */
export function lifecyclePolicy(keepTagged: number, keptTags: readonly string[] = []): { rules: LifecycleRule[] } {
    // A tag holds no `*` (docker/distribution reference grammar), so each pattern matches its one tag.
    const kept = [...new Set(keptTags)].sort();
    return {
        rules: [
            {
                rulePriority: 1,
                description: "Expire untagged images a day after they were pushed",
                selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 1 },
                action: { type: "expire" },
            },
            ...kept.map(
                (tag, i): LifecycleRule => ({
                    rulePriority: i + 2,
                    description: `Keep ${tag}: a version the stack runs or can roll back to`,
                    selection: { tagStatus: "tagged", tagPatternList: [tag], countType: "imageCountMoreThan", countNumber: 1 },
                    action: { type: "expire" },
                }),
            ),
            {
                rulePriority: kept.length + 2,
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

/**
 * Whether removing a service (or destroying the stack) leaves its repository and key in the account
 * rather than deleting them: in production, whose repositories refuse deletion while they hold
 * images (`forceDelete: false`), so a delete would fail every later `up`. Dev deletes both.
 */
export function repositoryRetainOnDelete(profile: Profile): boolean {
    return profile === "production";
}
