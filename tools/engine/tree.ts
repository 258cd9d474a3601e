import type { Rendered, RenderedResource } from "./model";

function annotations(resource: RenderedResource): string {
    const marks = [
        resource.options.protect ? "protected" : "",
        resource.options.retainOnDelete ? "retained on delete" : "",
        resource.remote ? "remote component" : "",
    ].filter(Boolean);
    return marks.length ? `  [${marks.join(", ")}]` : "";
}

/** The resources of a render as an indented tree, parents above children, the way `pulumi preview` lists them. */
export function formatTree(rendered: Rendered): string {
    const children = new Map<string | undefined, RenderedResource[]>();
    for (const resource of rendered.resources) {
        const siblings = children.get(resource.parent) ?? [];
        siblings.push(resource);
        children.set(resource.parent, siblings);
    }
    const lines: string[] = [];
    const walk = (parent: string | undefined, indent: string) => {
        const siblings = children.get(parent) ?? [];
        siblings.forEach((resource, i) => {
            const last = i === siblings.length - 1;
            const branch = parent === undefined ? "" : last ? "└─ " : "├─ ";
            lines.push(`${indent}${branch}${resource.type}  ${resource.name}${annotations(resource)}`);
            walk(resource.urn, parent === undefined ? "" : `${indent}${last ? "   " : "│  "}`);
        });
    };
    walk(undefined, "");
    return lines.join("\n");
}
