import { type ChildProcess, spawn } from "child_process";
import { createRequire } from "module";
import * as path from "path";
import * as readline from "readline";

// Runs the policy pack the way `pulumi preview --policy-pack policy` does: Pulumi's policy-pack
// runner (TypeScript type-checked) serves the pack's gRPC analyzer on loopback, and this file
// plays the engine's part. As pulumi/pulumi v3.248.0 pkg/resource/deploy/step_generator.go does,
// each resource is first offered to Remediate, its inputs replaced by what a remediation returns,
// then sent to Analyze; AnalyzeStack gets every resource once all are registered. Properties
// travel as sdk/go/common/resource/plugin/analyzer_plugin.go marshals them (KeepSecrets,
// KeepUnknowns): secrets in their signature object, unknowns as the unknown sentinel.
// Runs as its own process: it loads policy/'s copy of Pulumi's protobuf classes, which must not
// meet the copy the offline render uses. Reads the rounds as JSON on stdin, prints each round's findings.

/** A resource as the engine hands it to the analyzer, in the render's notation (`{"@secret": v}`, `"[unknown]"`). */
export interface EngineResource {
    urn: string;
    type: string;
    name: string;
    /** What Analyze and Remediate receive: the resource's inputs. */
    inputs: Record<string, unknown>;
    /** What AnalyzeStack receives: the resource's state. Defaults to the inputs (after remediation). */
    outputs?: Record<string, unknown>;
    protect: boolean;
    parent?: string;
    /** For each property, the URNs its value came from. */
    propertyDependencies: Record<string, string[]>;
}

/** One round of analysis: the policy config of a stack, then the resources of one update. */
export interface AnalyzerRound {
    config: Record<string, { enforcementLevel: string; profile: string }>;
    resources: EngineResource[];
}

/** One diagnostic as CrossGuard reports it. */
export interface Diagnostic {
    policyName: string;
    message: string;
    enforcementLevel: string;
    urn: string;
}

/** One remediation: the inputs a policy replaced a resource's with, in the render's notation. */
export interface Remediated {
    policyName: string;
    urn: string;
    properties: Record<string, unknown>;
}

export interface RoundFindings {
    diagnostics: Diagnostic[];
    remediations: Remediated[];
}

const policyDir = path.resolve(__dirname, "..", "..", "policy");
const fromPack = createRequire(path.join(policyDir, "package.json"));
const grpc = fromPack("@grpc/grpc-js");
const analyzer = fromPack("@pulumi/pulumi/proto/analyzer_pb");
const { AnalyzerClient } = fromPack("@pulumi/pulumi/proto/analyzer_grpc_pb");
const { Struct } = fromPack("google-protobuf/google/protobuf/struct_pb");
const rpc = fromPack("@pulumi/pulumi/runtime/rpc");

const levels: Record<string, number> = {
    advisory: analyzer.EnforcementLevel.ADVISORY,
    mandatory: analyzer.EnforcementLevel.MANDATORY,
    disabled: analyzer.EnforcementLevel.DISABLED,
    remediate: analyzer.EnforcementLevel.REMEDIATE,
};
const levelNames = Object.fromEntries(Object.entries(levels).map(([name, value]) => [value, name]));

/** The render's notation as the engine marshals it. */
function toWire(value: unknown): unknown {
    if (value === "[unknown]") {
        return rpc.unknownValue;
    }
    if (Array.isArray(value)) {
        return value.map(toWire);
    }
    if (typeof value !== "object" || value === null) {
        return value;
    }
    const object = value as Record<string, unknown>;
    if ("@secret" in object && Object.keys(object).length === 1) {
        return { [rpc.specialSigKey]: rpc.specialSecretSig, value: toWire(object["@secret"]) };
    }
    return Object.fromEntries(Object.entries(object).map(([key, inner]) => [key, toWire(inner)]));
}

/** What the engine unmarshals, back in the render's notation. */
function fromWire(value: unknown): unknown {
    if (value === rpc.unknownValue) {
        return "[unknown]";
    }
    if (Array.isArray(value)) {
        return value.map(fromWire);
    }
    if (typeof value !== "object" || value === null) {
        return value;
    }
    const object = value as Record<string, unknown>;
    if (object[rpc.specialSigKey] === rpc.specialSecretSig) {
        return { "@secret": fromWire(object.value) };
    }
    return Object.fromEntries(Object.entries(object).map(([key, inner]) => [key, fromWire(inner)]));
}

/** Starts the pack under Pulumi's runner and resolves with the port its analyzer listens on. */
function startPack(): Promise<{ pack: ChildProcess; port: string }> {
    const runner = fromPack.resolve("@pulumi/pulumi/cmd/run-policy-pack");
    // The engine address is only used to report log messages; the pack logs none when it loads cleanly.
    const pack = spawn(process.execPath, [runner, "127.0.0.1:0", "."], { cwd: policyDir, stdio: ["ignore", "pipe", "pipe"] });
    let errors = "";
    pack.stderr?.on("data", (chunk) => (errors += chunk));
    return new Promise((resolve, reject) => {
        readline.createInterface({ input: pack.stdout as NodeJS.ReadableStream }).once("line", (port) => resolve({ pack, port: port.trim() }));
        pack.once("exit", (code) => reject(new Error(`the policy pack exited (${code}) before serving:\n${errors}`)));
    });
}

function call<T>(client: Record<string, Function>, method: string, request: unknown): Promise<T> {
    return new Promise((resolve, reject) => client[method](request, (error: Error | null, response: T) => (error ? reject(error) : resolve(response))));
}

function optionsOf(resource: EngineResource): unknown {
    const options = new analyzer.AnalyzerResourceOptions();
    options.setProtect(resource.protect);
    if (resource.parent) {
        options.setParent(resource.parent);
    }
    return options;
}

function analyzeRequest(resource: EngineResource, inputs: Record<string, unknown>): unknown {
    const request = new analyzer.AnalyzeRequest();
    request.setType(resource.type);
    request.setName(resource.name);
    request.setUrn(resource.urn);
    request.setProperties(Struct.fromJavaScript(toWire(inputs)));
    request.setOptions(optionsOf(resource));
    return request;
}

function stackResource(resource: EngineResource, state: Record<string, unknown>): unknown {
    const message = new analyzer.AnalyzerResource();
    message.setType(resource.type);
    message.setName(resource.name);
    message.setUrn(resource.urn);
    message.setProperties(Struct.fromJavaScript(toWire(state)));
    message.setOptions(optionsOf(resource));
    if (resource.parent) {
        message.setParent(resource.parent);
    }
    message.setDependenciesList([...new Set(Object.values(resource.propertyDependencies).flat())]);
    for (const [property, urns] of Object.entries(resource.propertyDependencies)) {
        const dependencies = new analyzer.AnalyzerPropertyDependencies();
        dependencies.setUrnsList(urns);
        message.getPropertydependenciesMap().set(property, dependencies);
    }
    return message;
}

function diagnosticsOf(response: { getDiagnosticsList(): any[] }, urn: string): Diagnostic[] {
    return response.getDiagnosticsList().map((d) => ({
        policyName: d.getPolicyname(),
        message: d.getMessage(),
        enforcementLevel: levelNames[d.getEnforcementlevel()],
        urn: d.getUrn() || urn,
    }));
}

/** Configures the running pack for one stack and plays one update through it. */
async function analyzeRound(client: Record<string, Function>, round: AnalyzerRound): Promise<RoundFindings> {
    const configure = new analyzer.ConfigureAnalyzerRequest();
    for (const [policy, { enforcementLevel, ...properties }] of Object.entries(round.config)) {
        const policyConfig = new analyzer.PolicyConfig();
        policyConfig.setEnforcementlevel(levels[enforcementLevel]);
        policyConfig.setProperties(Struct.fromJavaScript(properties));
        configure.getPolicyconfigMap().set(policy, policyConfig);
    }
    await call(client, "configure", configure);
    const findings: RoundFindings = { diagnostics: [], remediations: [] };
    const states: unknown[] = [];
    for (const resource of round.resources) {
        let inputs = resource.inputs;
        const remediated = await call<{ getRemediationsList(): any[] }>(client, "remediate", analyzeRequest(resource, inputs));
        for (const remediation of remediated.getRemediationsList()) {
            const properties = remediation.getProperties();
            if (properties) {
                inputs = fromWire(properties.toJavaScript()) as Record<string, unknown>;
                findings.remediations.push({ policyName: remediation.getPolicyname(), urn: resource.urn, properties: inputs });
            }
        }
        const analyzed = await call<{ getDiagnosticsList(): any[] }>(client, "analyze", analyzeRequest(resource, inputs));
        findings.diagnostics.push(...diagnosticsOf(analyzed, resource.urn));
        states.push(stackResource(resource, resource.outputs ?? inputs));
    }
    const stackRequest = new analyzer.AnalyzeStackRequest();
    stackRequest.setResourcesList(states);
    findings.diagnostics.push(...diagnosticsOf(await call<{ getDiagnosticsList(): any[] }>(client, "analyzeStack", stackRequest), ""));
    return findings;
}

/** Starts the pack once and plays each round against it: the findings of each round, in order. */
async function analyze(rounds: AnalyzerRound[]): Promise<RoundFindings[]> {
    const { pack, port } = await startPack();
    const client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    try {
        const findings: RoundFindings[] = [];
        for (const round of rounds) {
            findings.push(await analyzeRound(client, round));
        }
        return findings;
    } finally {
        client.close();
        pack.kill();
    }
}

if (require.main === module) {
    let input = "";
    process.stdin.on("data", (chunk) => (input += chunk));
    process.stdin.on("end", () => {
        analyze(JSON.parse(input) as AnalyzerRound[]).then(
            (findings) => console.log(JSON.stringify(findings)),
            (error: unknown) => {
                console.error(error instanceof Error ? error.message : String(error));
                process.exitCode = 1;
            },
        );
    });
}
