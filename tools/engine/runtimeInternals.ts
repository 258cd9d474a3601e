/* eslint-disable @typescript-eslint/no-require-imports */
// The SDK functions the render needs that @pulumi/pulumi marks @internal and leaves out of its
// type declarations. The Automation API runs inline programs with exactly these.

interface Store {
    settings: { monitor: unknown; options: { rootDirectory?: string } };
    logErrorCount: number;
}

interface RuntimeState {
    /** Runs `callback` with a fresh runtime state (config, monitor, stack), as each Automation API program does. */
    withLocalStorage<T>(callback: () => Promise<T>): Promise<T>;
    getStore(): Store;
}

interface RuntimeSettings {
    /** Resolves once every pending registration has been answered. */
    waitForRPCs(): Promise<void>;
}

export const runtimeState: RuntimeState = require("@pulumi/pulumi/runtime/state");
export const runtimeSettings: RuntimeSettings = require("@pulumi/pulumi/runtime/settings");
