import * as path from "path";
import type { FakeAccountOptions } from "../tools/engine/fakeAccount";
import type { Rendered } from "../tools/engine/model";
import { RenderQuery } from "../tools/engine/query";
import { RenderError, renderStack } from "../tools/engine/render";

/** The project under test: the folder holding Pulumi.yaml. */
export const projectDir = path.resolve(__dirname, "..");

const renders = new Map<string, Promise<Rendered>>();

/**
 * The stack rendered on the one shared mock engine, with optional config overrides
 * (`{"platform:network.cidr": "10.1.0.0/16"}`) and fake account (another caller, a first `up`).
 * Renders are cached: tests read, never write.
 */
export async function render(stack: string, overrides: Record<string, unknown> = {}, account?: FakeAccountOptions): Promise<RenderQuery> {
    const key = JSON.stringify([stack, overrides, account]);
    if (!renders.has(key)) {
        renders.set(key, renderStack({ projectDir, stack, overrides, account }));
    }
    return new RenderQuery(await (renders.get(key) as Promise<Rendered>));
}

/** Renders a stack that must fail, and returns the failure. */
export async function renderFailure(stack: string, overrides: Record<string, unknown>, account?: FakeAccountOptions): Promise<RenderError> {
    try {
        await renderStack({ projectDir, stack, overrides, account });
    } catch (error) {
        if (error instanceof RenderError) {
            return error;
        }
        throw error;
    }
    throw new Error(`the ${stack} stack rendered although it was expected to fail with ${JSON.stringify(overrides)}`);
}

/** The problem lines of a config rejection. */
export async function configProblems(stack: string, overrides: Record<string, unknown>, account?: FakeAccountOptions): Promise<string[]> {
    const failure = await renderFailure(stack, overrides, account);
    const problems = (failure.cause as { problems?: string[] } | undefined)?.problems;
    if (!problems) {
        throw new Error(`expected a config error, got: ${failure.message}`);
    }
    return problems;
}

/** The stacks that ship with the project. */
export const stacks = ["dev", "production"] as const;
