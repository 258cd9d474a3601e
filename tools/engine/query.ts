import { type KubernetesObject, kubernetesManifests, type Manifest } from "./manifests";
import type { Rendered, RenderedResource } from "./model";

/** Questions tests and policies ask of a render. */
export class RenderQuery {
    private readonly byUrn: Map<string, RenderedResource>;

    constructor(readonly rendered: Rendered) {
        this.byUrn = new Map(rendered.resources.map((r) => [r.urn, r]));
    }

    get resources(): RenderedResource[] {
        return this.rendered.resources;
    }

    get outputs(): Record<string, unknown> {
        return this.rendered.outputs;
    }

    /** Every resource of a Pulumi type, e.g. `aws:ec2/subnet:Subnet`. */
    ofType(type: string): RenderedResource[] {
        return this.resources.filter((r) => r.type === type);
    }

    /** The one resource of a type (and name, when given); fails when there is none or several. */
    one(type: string, name?: string): RenderedResource {
        const found = this.ofType(type).filter((r) => name === undefined || r.name === name);
        if (found.length !== 1) {
            const names = this.ofType(type).map((r) => r.name);
            throw new Error(`expected one ${type}${name ? ` named ${name}` : ""}, found ${found.length} (${names.join(", ") || "none"})`);
        }
        return found[0];
    }

    get(urn: string): RenderedResource {
        const resource = this.byUrn.get(urn);
        if (!resource) {
            throw new Error(`no resource ${urn}`);
        }
        return resource;
    }

    /** The direct children of a resource. */
    children(parent: RenderedResource): RenderedResource[] {
        return this.resources.filter((r) => r.parent === parent.urn);
    }

    /** The resource's parent chain, nearest first. */
    ancestors(resource: RenderedResource): RenderedResource[] {
        const chain: RenderedResource[] = [];
        for (let urn = resource.parent; urn; urn = this.byUrn.get(urn)?.parent) {
            const parent = this.byUrn.get(urn);
            if (parent) {
                chain.push(parent);
            }
        }
        return chain;
    }

    /** The resources whose outputs feed an input of a resource, e.g. the NAT gateway behind a route's `natGatewayId`. */
    sourcesOf(resource: RenderedResource, input: string): RenderedResource[] {
        return (resource.propertyDependencies[input] ?? []).map((urn) => this.get(urn));
    }

    /** The one resource an input comes from; fails when there is none or several. */
    sourceOf(resource: RenderedResource, input: string): RenderedResource {
        const sources = this.sourcesOf(resource, input);
        if (sources.length !== 1) {
            throw new Error(`expected ${resource.name}.${input} to come from one resource, found ${sources.length}`);
        }
        return sources[0];
    }

    /** True when creating `from` waits, directly or through others, for `to`. */
    waitsFor(from: RenderedResource, to: RenderedResource): boolean {
        const seen = new Set<string>();
        const pending = [...from.dependencies];
        while (pending.length > 0) {
            const urn = pending.pop() as string;
            if (urn === to.urn) {
                return true;
            }
            if (!seen.has(urn)) {
                seen.add(urn);
                pending.push(...(this.byUrn.get(urn)?.dependencies ?? []));
            }
        }
        return false;
    }

    manifests(): Manifest[] {
        return kubernetesManifests(this.rendered);
    }

    /** Kubernetes objects of a kind (and name, when given). */
    objects(kind: string, name?: string): KubernetesObject[] {
        return this.manifests()
            .map((m) => m.object)
            .filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
    }
}
