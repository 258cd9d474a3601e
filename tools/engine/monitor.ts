import * as pulumi from "@pulumi/pulumi";
import { Result } from "@pulumi/pulumi/proto/resource_pb";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import type { Rendered, RenderedOptions, RenderedResource } from "./model";
import { plainStruct } from "./plainStruct";
import { serializeState } from "./stateWire";
import { fromWire } from "./wire";

type Callback = (err: unknown, response: any) => void;

/** A provider reference is `<urn>::<id>`; the URN is what stays stable between renders. */
function providerUrn(reference: string): string | undefined {
    return reference ? reference.slice(0, reference.lastIndexOf("::")) : undefined;
}

function sortedUnique(urns: Iterable<string>): string[] {
    return [...new Set(urns)].sort();
}

/** Only the options that were set, so the render stays small and diffs show real changes. */
function optionsOf(req: any, explicit: string[]): RenderedOptions {
    const timeouts = req.getCustomtimeouts();
    const customTimeouts = Object.fromEntries(
        (["create", "update", "delete"] as const)
            .map((op) => [op, timeouts?.[`get${op[0].toUpperCase()}${op.slice(1)}`]?.() as string])
            .filter(([, value]) => value),
    );
    const options: RenderedOptions = {
        protect: req.hasProtect() ? req.getProtect() : undefined,
        retainOnDelete: req.hasRetainondelete() ? req.getRetainondelete() : undefined,
        deleteBeforeReplace: req.getDeletebeforereplacedefined() ? req.getDeletebeforereplace() : undefined,
        ignoreChanges: req.getIgnorechangesList().length ? [...req.getIgnorechangesList()] : undefined,
        replaceOnChanges: req.getReplaceonchangesList().length ? [...req.getReplaceonchangesList()] : undefined,
        additionalSecretOutputs: req.getAdditionalsecretoutputsList().length ? [...req.getAdditionalsecretoutputsList()] : undefined,
        customTimeouts: Object.keys(customTimeouts).length ? customTimeouts : undefined,
        dependsOn: explicit.length ? explicit : undefined,
    };
    return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
}

/**
 * The mock monitor, recording every registration exactly as the engine would receive it:
 * inputs, parent, provider, options and dependencies.
 */
export class RecordingMonitor extends MockMonitor {
    private readonly recorded = new Map<string, RenderedResource>();
    private stackOutputs: Record<string, unknown> = {};

    /**
     * @param mocks the fake cloud
     * @param withoutDefaultProvider packages whose default provider is disabled
     *   (`pulumi:disable-default-providers`): as in the engine, a resource or lookup of theirs
     *   without an explicit provider fails.
     */
    constructor(
        mocks: ConstructorParameters<typeof MockMonitor>[0],
        private readonly withoutDefaultProvider: readonly string[] = [],
    ) {
        super(mocks);
    }

    private missingProvider(token: string, provider: string, what: string): Error | undefined {
        const pkg = token.split(":")[0];
        if (provider || !this.withoutDefaultProvider.includes(pkg) && !this.withoutDefaultProvider.includes("*")) {
            return undefined;
        }
        return new Error(`Default provider for '${pkg}' disabled. ${what} must use an explicit provider.`);
    }

    override async invoke(req: any, callback: Callback): Promise<void> {
        const refused = this.missingProvider(req.getTok(), req.getProvider(), `'${req.getTok()}'`);
        return refused ? callback(refused, undefined) : super.invoke(req, callback);
    }

    override async registerResource(req: any, callback: Callback): Promise<void> {
        if (req.getCustom() && !req.getType().startsWith("pulumi:providers:")) {
            const refused = this.missingProvider(req.getType(), req.getProvider(), `'${req.getType()}::${req.getName()}'`);
            if (refused) {
                return callback(refused, undefined);
            }
        }
        // As MockMonitor.registerResource (@pulumi/pulumi runtime/mocks.js), reading the request's
        // inputs once for the fake cloud and the record, and answering with plain values.
        try {
            const inputs = req.getObject().toJavaScript() as Record<string, unknown>;
            const result = await this.mocks.newResource({
                type: req.getType(),
                name: req.getName(),
                inputs: pulumi.runtime.deserializeProperties(plainStruct(inputs) as Parameters<typeof pulumi.runtime.deserializeProperties>[0]),
                provider: req.getProvider(),
                custom: req.getCustom(),
                id: req.getImportid(),
            });
            const urn = this.urnOf(req.getParent(), req.getType(), req.getName());
            const state = await serializeState(result.state);
            this.resources.set(urn, { urn, id: result.id ?? null, state });
            this.record(req, urn, inputs);
            // The fields of a RegisterResourceResponse the SDK reads (runtime/resource.js, registerResource).
            const id = result.id || "";
            callback(null, { getUrn: () => urn, getId: () => id, getObject: () => plainStruct(state), getPropertydependenciesMap: () => undefined, getResult: () => Result.SUCCESS });
        } catch (error) {
            callback(error, undefined);
        }
    }

    /** The URN MockMonitor gives a resource (its private `newUrn`), so lookups by URN find it. */
    private urnOf(parent: string, type: string, name: string): string {
        return (this as unknown as { newUrn(parent: string, type: string, name: string): string }).newUrn(parent, type, name);
    }

    override registerResourceOutputs(req: any, callback: Callback): void {
        const urn: string = req.getUrn();
        if (this.recorded.get(urn)?.type === "pulumi:pulumi:Stack") {
            this.stackOutputs = fromWire(req.getOutputs()?.toJavaScript() ?? {}) as Record<string, unknown>;
        }
        super.registerResourceOutputs(req, callback);
    }

    private record(req: any, urn: string, inputs: Record<string, unknown>): void {
        const propertyDependencies: Record<string, string[]> = {};
        const viaInputs = new Set<string>();
        for (const [property, deps] of req.getPropertydependenciesMap().toArray() as [string, [string[]]][]) {
            const urns = sortedUnique(deps[0]);
            if (urns.length > 0) {
                propertyDependencies[property] = urns;
                urns.forEach((u) => viaInputs.add(u));
            }
        }
        const dependencies = sortedUnique(req.getDependenciesList() as string[]);
        const providers = Object.fromEntries(
            (req.getProvidersMap().toArray() as [string, string][]).map(([pkg, ref]) => [pkg, providerUrn(ref)]),
        );
        const resource: RenderedResource = {
            urn,
            type: req.getType(),
            name: req.getName(),
            parent: req.getParent() || undefined,
            custom: req.getCustom(),
            remote: req.getRemote(),
            provider: providerUrn(req.getProvider()),
            inputs: fromWire(inputs) as Record<string, unknown>,
            options: optionsOf(
                req,
                dependencies.filter((d) => !viaInputs.has(d)),
            ),
            dependencies,
            propertyDependencies,
        };
        if (Object.keys(providers).length > 0) {
            resource.providers = providers as Record<string, string>;
        }
        this.recorded.set(urn, resource);
    }

    /** Everything registered so far, in URN order so renders compare line by line. */
    rendered(project: string, stack: string): Rendered {
        const resources = [...this.recorded.values()].sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
        return { project, stack, resources, outputs: this.stackOutputs };
    }
}
