import type { KubernetesObject } from "./manifests";

// kubernetes-models ships ES modules only; this keeps the import native under CommonJS.
const importModule = new Function("specifier", "return import(specifier)") as (specifier: string) => Promise<Record<string, unknown>>;

interface Model {
    validate(): void;
}

/** Where kubernetes-models keeps the model of an `apiVersion` and `kind` (core objects sit under `v1`). */
export function modelPath(apiVersion: string, kind: string): string {
    return `kubernetes-models/${apiVersion}/${kind}`;
}

/**
 * The problems the Kubernetes API schema finds in an object (kubernetes-models, generated from
 * the API's OpenAPI definitions); empty when it is valid. A kind with no model is a problem too.
 */
export async function schemaProblems(object: KubernetesObject): Promise<string[]> {
    const apiVersion = String(object.apiVersion);
    const kind = String(object.kind);
    let module: Record<string, unknown>;
    try {
        module = await importModule(modelPath(apiVersion, kind));
    } catch {
        return [`no schema for ${apiVersion} ${kind}`];
    }
    const ModelClass = module[kind] as new (data: unknown) => Model;
    try {
        new ModelClass(object).validate();
        return [];
    } catch (error) {
        return [(error as Error).message];
    }
}
