import { fakeArn } from "../fakeAccount";
import { clusterOutputs } from "./cluster";
import { databaseOutputs } from "./database";
import { edgeOutputs } from "./edge";
import { imagesOutputs } from "./images";
import { networkOutputs } from "./network";
import { servicesOutputs } from "./services";
import type { OutputSynthesizer } from "./types";

/**
 * Outputs the fake cloud gives resources of a type, beyond echoing their inputs and the ARN
 * every AWS resource gets: one table per part of the platform.
 */
const outputSynthesizers: Record<string, OutputSynthesizer> = {
    ...networkOutputs,
    ...clusterOutputs,
    ...databaseOutputs,
    ...imagesOutputs,
    ...edgeOutputs,
    ...servicesOutputs,
};

/** The state a created resource reports: its inputs, a name and, on AWS, an ARN. */
export function synthesizeOutputs(type: string, name: string, id: string, inputs: Record<string, any>, region: string) {
    const common: Record<string, unknown> = { name: inputs.name ?? name };
    if (type.startsWith("aws:")) {
        common.arn = fakeArn(type, id, region);
    }
    return { ...common, ...inputs, ...(outputSynthesizers[type]?.(name, inputs, region) ?? {}) };
}
