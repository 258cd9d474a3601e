import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import { type FakeAccountOptions, fakeClusterName, fakeDeployerRoleName } from "./fakeAccount";
import { FakeCloud } from "./mocks";
import type { Rendered, RenderedResource } from "./model";
import { RecordingMonitor } from "./monitor";
import { runtimeSettings, runtimeState } from "./runtimeInternals";
import { withoutStackTraces } from "./stackTraces";
import { applyOverrides, readProject, readStackConfig, toRuntimeConfig } from "./stackFiles";

export interface RenderRequest {
    /** Folder holding Pulumi.yaml and the stack files. */
    projectDir: string;
    stack: string;
    /** Config laid over the stack file: `platform:network` replaces a key, `platform:network.cidr` sets a path. */
    overrides?: Record<string, unknown>;
    /** Run the program as `pulumi preview` does (`isDryRun()` true). Default false: as `pulumi up` does. */
    preview?: boolean;
    /** Who deploys and what the account holds; defaults to the fake deployer updating a deployed stack. */
    account?: FakeAccountOptions;
}

/**
 * The program did not finish: its config was rejected (`cause` is the program's own error) or a
 * registration failed. `registered` holds what had been registered by then.
 */
export class RenderError extends Error {
    constructor(
        message: string,
        options: { cause?: unknown },
        readonly registered: RenderedResource[],
    ) {
        super(message, options);
        this.name = "RenderError";
    }
}

type Program = () => unknown;

function loadProgram(file: string): Program {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = require(file);
    const program = typeof loaded === "function" ? loaded : loaded?.default;
    if (typeof program !== "function") {
        throw new Error(`${file} must export a function (export = async () => { ... })`);
    }
    return program;
}

function disabledDefaultProviders(values: Record<string, unknown>): string[] {
    const setting = values["pulumi:disable-default-providers"];
    const list = typeof setting === "string" ? (JSON.parse(setting) as unknown) : setting;
    return Array.isArray(list) ? list.map(String) : [];
}

function messageOf(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}

/**
 * Runs the real program on Pulumi's mocks and returns everything it registered. No credentials,
 * network or Pulumi CLI: config comes from the stack file, the cloud is {@link FakeCloud}.
 * Each render runs in its own runtime state, so renders can follow one another in one process.
 */
export async function renderStack(request: RenderRequest): Promise<Rendered> {
    const project = readProject(request.projectDir);
    const config = applyOverrides(readStackConfig(request.projectDir, project, request.stack), request.overrides ?? {});
    const program = loadProgram(path.resolve(request.projectDir, project.main));
    const region = typeof config.values["aws:region"] === "string" ? config.values["aws:region"] : "us-east-1";
    const account = {
        callerRoleName: request.account?.callerRoleName ?? fakeDeployerRoleName,
        // The stack's cluster, named as components/naming.ts names it: the update of a deployed stack.
        clusters: request.account?.clusters ?? [fakeClusterName(project.name, request.stack)],
        registry: request.account?.registry ?? {},
        targetGroups: request.account?.targetGroups ?? [],
        nodeGroups: request.account?.nodeGroups ?? {},
    };
    const cloud = new FakeCloud(region, account);
    const monitor = new RecordingMonitor(cloud, disabledDefaultProviders(config.values));

    const failures: unknown[] = [];
    const onRejection = (reason: unknown) => failures.push(reason);
    process.on("unhandledRejection", onRejection);
    try {
        await runtimeState.withLocalStorage(async () => {
            await pulumi.runtime.setMocks(monitor.mocks, project.name, request.stack, request.preview ?? false);
            runtimeState.getStore().settings.monitor = monitor;
            // The CLI tells the program where the project is; so does the render.
            runtimeState.getStore().settings.options.rootDirectory = path.resolve(request.projectDir);
            pulumi.runtime.setAllConfig(toRuntimeConfig(config), config.secretKeys);
            // A render reports failures by message: it skips the SDK's stack traces unless asked.
            await withoutStackTraces(async () => {
                try {
                    await pulumi.runtime.runInPulumiStack(async () => program());
                } catch (error) {
                    failures.unshift(error);
                }
                await runtimeSettings.waitForRPCs();
            });
            if (runtimeState.getStore().logErrorCount > 0) {
                failures.push(new Error("the program logged errors (see above)"));
            }
        });
    } finally {
        // Rejections surface a tick after the work that caused them.
        await new Promise((resolve) => setImmediate(resolve));
        process.off("unhandledRejection", onRejection);
    }
    if (failures.length > 0) {
        const messages = [...new Set(failures.map(messageOf))];
        throw new RenderError(messages.join("\n"), { cause: failures[0] }, monitor.rendered(project.name, request.stack).resources);
    }
    return { ...monitor.rendered(project.name, request.stack), imageTags: cloud.imageTags };
}
