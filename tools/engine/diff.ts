import { compare, type FieldDifference, stacklessUrn } from "./fieldDiff";
import { unordered } from "./listOrder";
import type { Rendered, RenderedResource } from "./model";
import { releaseSummary } from "./releaseSummary";
import { replaces } from "./replacements";

export { stacklessUrn };

/** One difference inside a resource, and whether the provider must replace the resource to apply it. */
export type FieldChange = FieldDifference & {
    /** The provider must delete and re-create the resource to apply this change. */
    forcesReplacement: boolean;
};

export interface ResourceChange {
    key: string;
    type: string;
    name: string;
    /** `update` changes the resource in place; `replace` deletes and re-creates it. */
    kind: "update" | "replace";
    fields: FieldChange[];
}

export interface RenderDiff {
    added: RenderedResource[];
    removed: RenderedResource[];
    changed: ResourceChange[];
    unchanged: number;
    /** One sentence per service whose versions or traffic change (see {@link releaseSummary}). */
    releases: string[];
    /** Image digests both renders know, with their tags. */
    imageTags: Record<string, string>;
}

/**
 * Whether `path` (`inputs.build.cacheFrom.images`) lies under an input the resource's `ignoreChanges`
 * names: the engine keeps the old value there before it diffs (pulumi/pulumi
 * pkg/resource/deploy/step_generator.go, processIgnoreChanges).
 */
function ignored(path: string, ignoreChanges: readonly string[] = []): boolean {
    return ignoreChanges.some((field) => path === `inputs.${field}` || path.startsWith(`inputs.${field}.`) || path.startsWith(`inputs.${field}[`));
}

function changeOf(key: string, before: RenderedResource, after: RenderedResource): ResourceChange | undefined {
    const orderless = (path: string) => unordered(after.type, path);
    const differences = [
        ...compare("inputs", before.inputs, after.inputs, orderless).filter((d) => !ignored(d.path, after.options.ignoreChanges)),
        ...compare("provider", before.provider, after.provider, orderless),
        ...compare("options", before.options, after.options, orderless),
    ];
    if (differences.length === 0) {
        return undefined;
    }
    const replaceOn = after.options.replaceOnChanges ?? [];
    const fields = differences.map((d) => ({ ...d, forcesReplacement: replaces(after.type, d.path, replaceOn) }));
    const kind = fields.some((f) => f.forcesReplacement) ? "replace" : "update";
    return { key, type: after.type, name: after.name, kind, fields };
}

/** The same resource has the same key in every stack; the stack itself is named after its stack. */
function keyOf(resource: RenderedResource): string {
    return resource.type === "pulumi:pulumi:Stack" ? "stack" : stacklessUrn(resource.urn);
}

/** What changes when the desired state goes from `base` to `head`. */
export function diffRenders(base: Rendered, head: Rendered): RenderDiff {
    const before = new Map(base.resources.map((r) => [keyOf(r), r]));
    const after = new Map(head.resources.map((r) => [keyOf(r), r]));
    const diff: RenderDiff = {
        added: [],
        removed: [],
        changed: [],
        unchanged: 0,
        releases: releaseSummary(base, head),
        imageTags: { ...base.imageTags, ...head.imageTags },
    };
    for (const [key, resource] of after) {
        const old = before.get(key);
        if (!old) {
            diff.added.push(resource);
            continue;
        }
        const change = changeOf(key, old, resource);
        if (change) {
            diff.changed.push(change);
        } else {
            diff.unchanged++;
        }
    }
    diff.removed = [...before].filter(([key]) => !after.has(key)).map(([, resource]) => resource);
    return diff;
}
