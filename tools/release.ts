import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { renderStack } from "./engine/render";
import { type LiveRuns, needsLiveRuns, planAction, type ReleaseAction } from "./release/plan";
import { applyEdits, readStackFile } from "./release/stackFile";

const usages: Record<ReleaseAction["kind"], string> = {
    release: `Puts a version, with the service's current settings, on a service's idle color (blue/green), or rolls it out (rolling).

  npm run release -- --stack <stack> --service <name> [--version <tag>] [--live-version <tag>]

  --stack         the stack file to edit, Pulumi.<stack>.yaml (default: dev)
  --service       the service, as named in platform:services
  --version       image tag or sha256: digest to release; blue/green without it: the live color's
                  version with the service's current env, secrets, resources, probes, shutdown and
                  database password version
  --live-version  what the live color runs when no release has pinned it yet; by default read
                  from \`pulumi stack output serviceVersions\`, else what \`pulumi up\` from this
                  checkout runs on it (its build, the stack file's settings), as the offline render says`,
    promote: `Moves a blue/green service's traffic to the idle color, when it holds a newer release than the live one.

  npm run promote -- --stack <stack> --service <name>`,
    rollback: `Returns a blue/green service's traffic to the color that was live before the last promotion (once).

  npm run rollback -- --stack <stack> --service <name>`,
};

const footer = "\n\nEach edits Pulumi.<stack>.yaml in place, every other line untouched; `pulumi up` (or a merge CI deploys) applies it.\n";

/** What the CLI touches outside itself, so tests can run it in-process. */
export interface ReleaseIo {
    readonly projectDir: string;
    readonly out: (text: string) => void;
    readonly err: (text: string) => void;
    /** The deployed stack's `serviceVersions` output, or undefined when it cannot be read. */
    readonly deployedVersions: (stack: string) => unknown;
    /** The `serviceVersions` output of the stack rendered offline from this checkout: what `pulumi up` from here would run. */
    readonly renderedVersions: (stack: string) => Promise<unknown>;
}

/** The stack's `serviceVersions` output through the Pulumi CLI, or undefined without it. */
function pulumiServiceVersions(projectDir: string, stack: string): unknown {
    try {
        const json = execFileSync("pulumi", ["stack", "output", "serviceVersions", "--json", "--stack", stack], { cwd: projectDir, stdio: ["ignore", "pipe", "ignore"], timeout: 120_000 });
        return JSON.parse(json.toString());
    } catch {
        return undefined;
    }
}

/** What the live color of a service runs, according to the `serviceVersions` output. */
export function liveRunsFrom(versions: unknown, service: string): LiveRuns | undefined {
    const entry = (versions as Record<string, Record<string, unknown>> | undefined)?.[service];
    const raw = typeof entry?.live === "string" ? entry[entry.live] : undefined;
    // Stacks deployed before colors were pinned report each color's version as a bare string.
    const live = (typeof raw === "string" ? { version: raw } : raw) as { version?: unknown; configHash?: unknown } | undefined;
    if (typeof live?.version !== "string") {
        return undefined;
    }
    return { version: live.version, ...(typeof live.configHash === "string" ? { configHash: live.configHash } : {}) };
}

class UsageError extends Error {}

function parse(kind: ReleaseAction["kind"], args: string[]) {
    try {
        return parseArgs({
            args,
            strict: true,
            allowPositionals: false,
            options: {
                stack: { type: "string", default: "dev" },
                service: { type: "string" },
                help: { type: "boolean", short: "h" },
                ...(kind === "release" ? { version: { type: "string" as const }, "live-version": { type: "string" as const } } : {}),
            },
        }).values as { stack: string; service?: string; help?: boolean; version?: string; "live-version"?: string };
    } catch (error) {
        // parseArgs explains in one sentence, then adds advice about positionals that does not apply here.
        throw new UsageError(String((error as Error).message).split(". ")[0]);
    }
}

/**
 * What the live color of a service runs while no release has pinned it: `--live-version`, else
 * the deployed stack's outputs, else what `pulumi up` from this checkout would run on it (an
 * unpinned color follows the checkout's build and settings, so that is what it is about to run).
 */
async function liveRunsOf(io: ReleaseIo, stack: string, service: string, liveVersion: string | undefined): Promise<LiveRuns | undefined> {
    if (liveVersion !== undefined) {
        return { version: liveVersion };
    }
    const deployed = liveRunsFrom(io.deployedVersions(stack), service);
    if (deployed) {
        return deployed;
    }
    const rendered = liveRunsFrom(await io.renderedVersions(stack), service);
    if (rendered) {
        io.out(`The stack's outputs could not be read (pulumi stack output serviceVersions); the live color is pinned to what pulumi up from this checkout runs on it: ${rendered.version}.\n`);
    }
    return rendered;
}

/** Runs `release`, `promote` or `rollback` with its arguments; returns the process exit code. */
export async function run(argv: readonly string[], io: ReleaseIo): Promise<number> {
    const [kind, ...args] = argv;
    if (kind !== "release" && kind !== "promote" && kind !== "rollback") {
        io.err(`unknown action ${JSON.stringify(kind ?? "")}: release, promote or rollback\n`);
        return 2;
    }
    try {
        const values = parse(kind, args);
        if (values.help) {
            io.out(usages[kind] + footer);
            return 0;
        }
        if (!values.service) {
            throw new UsageError("--service <name> is required");
        }
        const file = path.join(io.projectDir, `Pulumi.${values.stack}.yaml`);
        if (!/^[\w.-]+$/.test(values.stack) || !fs.existsSync(file)) {
            throw new UsageError(`no stack file Pulumi.${values.stack}.yaml`);
        }
        const text = fs.readFileSync(file, "utf8");
        const { profile, services } = readStackFile(text);
        const index = services.findIndex((s) => s.name === values.service);
        if (index < 0) {
            throw new UsageError(`${path.basename(file)} has no service named ${values.service}`);
        }
        const action: ReleaseAction = kind === "release" ? { kind, version: values.version } : { kind };
        let liveRuns: LiveRuns | undefined;
        if (needsLiveRuns(services[index], index, profile, action)) {
            liveRuns = await liveRunsOf(io, values.stack, values.service, values["live-version"]);
        }
        const plan = planAction(services[index], index, profile, action, liveRuns);
        if ("refused" in plan) {
            io.err(`${plan.refused}\n`);
            return 1;
        }
        fs.writeFileSync(file, applyEdits(text, plan.edits));
        io.out(`${plan.summary}\nUpdated ${path.basename(file)}; review it (git diff), then pulumi up, or merge it for CI to deploy.\n`);
        return 0;
    } catch (error) {
        io.err(`${error instanceof Error ? error.message : String(error)}${error instanceof UsageError ? ` (npm run ${kind} -- --help)` : ""}\n`);
        return error instanceof UsageError ? 2 : 1;
    }
}

if (require.main === module) {
    const projectDir = path.resolve(__dirname, "..");
    void run(process.argv.slice(2), {
        projectDir,
        out: (text) => process.stdout.write(text),
        err: (text) => process.stderr.write(text),
        deployedVersions: (stack) => pulumiServiceVersions(projectDir, stack),
        renderedVersions: async (stack) => (await renderStack({ projectDir, stack })).outputs.serviceVersions,
    }).then((code) => {
        process.exitCode = code;
    });
}
