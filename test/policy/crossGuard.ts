import { type ChildProcess, spawn } from "child_process";
import { createRequire } from "module";
import * as path from "path";
import * as readline from "readline";

// Runs the policy pack the way `pulumi preview --policy-pack policy` does (Pulumi's policy-pack
// runner, TypeScript type-checked, gRPC analyzer on loopback) and asks it to analyze resources.
// Runs as its own process: it loads policy/'s copy of Pulumi's protobuf classes, which must not
// meet the copy the offline render uses. Reads the rounds as JSON on stdin, prints each round's findings.

/** One round of analysis: the policy config of a stack, then the resources to send. */
export interface AnalyzerRound {
    config: Record<string, { enforcementLevel: string; profile: string }>;
    resources: { type: string; name: string; props: Record<string, unknown>; protect: boolean }[];
}

/** One diagnostic as CrossGuard reports it. */
export interface Diagnostic {
    policyName: string;
    message: string;
    enforcementLevel: string;
    urn: string;
}

const policyDir = path.resolve(__dirname, "..", "..", "policy");
const fromPack = createRequire(path.join(policyDir, "package.json"));
const grpc = fromPack("@grpc/grpc-js");
const analyzer = fromPack("@pulumi/pulumi/proto/analyzer_pb");
const { AnalyzerClient } = fromPack("@pulumi/pulumi/proto/analyzer_grpc_pb");
const { Struct } = fromPack("google-protobuf/google/protobuf/struct_pb");

const levels: Record<string, number> = {
    advisory: analyzer.EnforcementLevel.ADVISORY,
    mandatory: analyzer.EnforcementLevel.MANDATORY,
    disabled: analyzer.EnforcementLevel.DISABLED,
};
const levelNames = Object.fromEntries(Object.entries(levels).map(([name, value]) => [value, name]));

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

/** Configures the running pack for one stack and returns what it reports about the resources. */
async function analyzeRound(client: Record<string, Function>, request: AnalyzerRound): Promise<Diagnostic[]> {
    const configure = new analyzer.ConfigureAnalyzerRequest();
        for (const [policy, { enforcementLevel, ...properties }] of Object.entries(request.config)) {
            const policyConfig = new analyzer.PolicyConfig();
            policyConfig.setEnforcementlevel(levels[enforcementLevel]);
            policyConfig.setProperties(Struct.fromJavaScript(properties));
            configure.getPolicyconfigMap().set(policy, policyConfig);
        }
    await call(client, "configure", configure);
    const diagnostics: Diagnostic[] = [];
    for (const resource of request.resources) {
        const options = new analyzer.AnalyzerResourceOptions();
        options.setProtect(resource.protect);
        const analyzeRequest = new analyzer.AnalyzeRequest();
        analyzeRequest.setType(resource.type);
        analyzeRequest.setName(resource.name);
        analyzeRequest.setUrn(`urn:pulumi:test::platform::${resource.type}::${resource.name}`);
        analyzeRequest.setProperties(Struct.fromJavaScript(resource.props));
        analyzeRequest.setOptions(options);
        const response = await call<{ getDiagnosticsList(): any[] }>(client, "analyze", analyzeRequest);
        diagnostics.push(
            ...response.getDiagnosticsList().map((d) => ({
                policyName: d.getPolicyname(),
                message: d.getMessage(),
                enforcementLevel: levelNames[d.getEnforcementlevel()],
                urn: d.getUrn(),
            })),
        );
    }
    return diagnostics;
}

/** Starts the pack once and runs each round against it: the findings of each round, in order. */
async function analyze(rounds: AnalyzerRound[]): Promise<Diagnostic[][]> {
    const { pack, port } = await startPack();
    const client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    try {
        const findings: Diagnostic[][] = [];
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
            (diagnostics) => console.log(JSON.stringify(diagnostics)),
            (error: unknown) => {
                console.error(error instanceof Error ? error.message : String(error));
                process.exitCode = 1;
            },
        );
    });
}
