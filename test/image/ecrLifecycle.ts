import type { LifecycleRule } from "../../components/image/repository";
import type { RenderQuery } from "../../tools/engine/query";

// What ECR does with a lifecycle policy, as the Amazon ECR User Guide describes it ("Automate the
// cleanup of images by using lifecycle policies", lifecycle policy evaluation rules, and "Lifecycle
// policy properties"): a test oracle, not a copy of ECR.

/** One image in a repository: its tags and when it was pushed. */
export interface StoredImage {
    readonly tags: readonly string[];
    readonly pushedAt: number;
}

/** A tag pattern with `*` wildcards, matched against a whole tag. */
const patternMatches = (pattern: string, tag: string) =>
    new RegExp(`^${pattern.split("*").map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`).test(tag);

/** Whether a rule's tagging requirements select `image`: with a pattern list, every pattern matches one of its tags. */
export function selects(rule: LifecycleRule, image: StoredImage): boolean {
    const { tagStatus, tagPatternList } = rule.selection;
    if (tagStatus === "untagged") {
        return image.tags.length === 0;
    }
    if (tagStatus === "tagged") {
        return image.tags.length > 0 && (tagPatternList ?? []).every((pattern) => image.tags.some((tag) => patternMatches(pattern, tag)));
    }
    return true;
}

/**
 * The images the policy expires at `now` (days): each image belongs to the first rule by priority
 * whose tagging requirements select it, and only that rule may expire it; a count rule counts every
 * image it selects, newest first, including those a higher rule holds.
 */
export function expired(rules: readonly LifecycleRule[], images: readonly StoredImage[], now: number): Set<StoredImage> {
    const byPriority = [...rules].sort((a, b) => a.rulePriority - b.rulePriority);
    const owner = new Map(images.map((image) => [image, byPriority.find((rule) => selects(rule, image))]));
    const gone = new Set<StoredImage>();
    for (const rule of byPriority) {
        const selected = images.filter((image) => selects(rule, image)).sort((a, b) => b.pushedAt - a.pushedAt);
        const { countType, countNumber } = rule.selection;
        const over = countType === "imageCountMoreThan" ? selected.slice(countNumber) : selected.filter((image) => now - image.pushedAt > countNumber);
        over.filter((image) => owner.get(image) === rule).forEach((image) => gone.add(image));
    }
    return gone;
}

/** The rules of the lifecycle policy a render gives the repository (of the one service by default). */
export function renderedRules(q: RenderQuery, name?: string): LifecycleRule[] {
    const policy = q.ofType("aws:ecr/lifecyclePolicy:LifecyclePolicy").find((p) => name === undefined || p.name === name);
    return JSON.parse(String(policy?.inputs.policy)).rules as LifecycleRule[];
}

/** Whether no history of pushes can expire the image tagged `tag` under `rules`: the first rule selecting it expires nothing below two images, and only one image carries a tag. */
export function neverExpires(rules: readonly LifecycleRule[], tag: string): boolean {
    const first = [...rules].sort((a, b) => a.rulePriority - b.rulePriority).find((rule) => selects(rule, { tags: [tag], pushedAt: 0 }));
    return first !== undefined && first.selection.countType === "imageCountMoreThan" && first.selection.countNumber >= 1 && first.selection.tagPatternList?.length === 1 && first.selection.tagPatternList[0] === tag;
}
