import type { Rendered, RenderedResource } from "./model";
import { reveal } from "./wire";

/** A Kubernetes object as the API server would receive it, and where the render writes it. */
export interface Manifest {
    /** Path under `manifests/`: `<namespace or _cluster>/<kind>-<name>.yaml`. */
    file: string;
    object: KubernetesObject;
    resource: RenderedResource;
}

export interface KubernetesObject {
    apiVersion: string;
    kind: string;
    metadata: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
    [field: string]: unknown;
}

function isKubernetesObject(resource: RenderedResource): boolean {
    return (
        resource.custom &&
        resource.type.startsWith("kubernetes:") &&
        typeof resource.inputs.apiVersion === "string" &&
        typeof resource.inputs.kind === "string"
    );
}

/** Every Kubernetes object of a render (Helm releases and providers are resources, not objects). */
export function kubernetesManifests(rendered: Rendered): Manifest[] {
    return rendered.resources.filter(isKubernetesObject).map((resource) => {
        const object = reveal(resource.inputs) as KubernetesObject;
        const name = object.metadata?.name ?? resource.name;
        const folder = object.metadata?.namespace ?? "_cluster";
        return { file: `${folder}/${object.kind.toLowerCase()}-${name}.yaml`, object, resource };
    });
}
