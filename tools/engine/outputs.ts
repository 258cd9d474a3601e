import { fakeArn } from "./fakeAccount";

/** What a resource of one type reports after creation, beyond its inputs. */
export type OutputSynthesizer = (name: string, inputs: Record<string, any>, region: string) => Record<string, unknown>;

/**
 * Outputs the fake cloud gives resources of a type, beyond echoing their inputs and the
 * ARN every AWS resource gets. Components add the outputs they read from their children here.
 */
export const outputSynthesizers: Record<string, OutputSynthesizer> = {};

/** The state a created resource reports: its inputs, a name and, on AWS, an ARN. */
export function synthesizeOutputs(type: string, name: string, id: string, inputs: Record<string, any>, region: string) {
    const common: Record<string, unknown> = { name: inputs.name ?? name };
    if (type.startsWith("aws:")) {
        common.arn = fakeArn(type, id, region);
    }
    return { ...common, ...inputs, ...(outputSynthesizers[type]?.(name, inputs, region) ?? {}) };
}
