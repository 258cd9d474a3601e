/** The resource options a reviewer needs to see, as the engine receives them. */
export interface RenderedOptions {
    protect?: boolean;
    retainOnDelete?: boolean;
    deleteBeforeReplace?: boolean;
    ignoreChanges?: string[];
    replaceOnChanges?: string[];
    additionalSecretOutputs?: string[];
    customTimeouts?: Record<string, string>;
    /** URNs named in `dependsOn` (components expanded to their resources, as the engine sees them). */
    dependsOn?: string[];
}

/** One resource of the desired state. */
export interface RenderedResource {
    urn: string;
    type: string;
    name: string;
    /** URN of the parent; absent only for the stack itself. */
    parent?: string;
    /** False for components (local or remote). */
    custom: boolean;
    /** True for components implemented by a provider plugin (e.g. `eks:index:Cluster`): their children are not rendered. */
    remote: boolean;
    /** URN of the explicit provider, when one is used. */
    provider?: string;
    /** For components: the providers handed down to their children, by package. */
    providers?: Record<string, string>;
    /** Inputs; secrets appear as `{"@secret": value}`, references to resources as `{"@resource": urn}`. */
    inputs: Record<string, unknown>;
    options: RenderedOptions;
    /** Every resource this one waits for: `dependsOn` and the resources whose outputs feed its inputs. */
    dependencies: string[];
    /** Which input carries which dependency. */
    propertyDependencies: Record<string, string[]>;
}

/** The full desired state of one stack. */
export interface Rendered {
    project: string;
    stack: string;
    resources: RenderedResource[];
    /** Stack outputs; secrets appear as `{"@secret": value}`. */
    outputs: Record<string, unknown>;
    /** Each image digest (`sha256:…`) the render's registry knows, with its tag, so a diff can name the version. */
    imageTags?: Record<string, string>;
}
