import { ConfigError, type ConfigSource, parseConfig, type PlatformConfig } from "../../config";
import { applyOverrides, readProject, readStackConfig, toRuntimeConfig } from "../../tools/engine/stackFiles";
import { projectDir } from "../harness";

/** A shipped stack's config as Pulumi hands it to the program, with overrides laid over it as the render lays them. */
export function stackSource(stack: string, overrides: Record<string, unknown> = {}): ConfigSource {
    const project = readProject(projectDir);
    const config = applyOverrides(readStackConfig(projectDir, project, stack), overrides);
    return { project: project.name, stack, values: toRuntimeConfig(config), secretKeys: config.secretKeys, projectDir };
}

/** The problems the config refuses a stack with, or none when it is accepted. */
export function problemsOf(stack: string, overrides: Record<string, unknown> = {}): string[] {
    try {
        parseConfig(stackSource(stack, overrides));
        return [];
    } catch (error) {
        if (error instanceof ConfigError) {
            return [...error.problems];
        }
        throw error;
    }
}

/** A stack's config once accepted. */
export function acceptedConfig(stack: string, overrides: Record<string, unknown> = {}): PlatformConfig {
    return parseConfig(stackSource(stack, overrides));
}
