import type { OutputSynthesizer } from "./types";

/** Outputs of the edge resources the program reads back, as the fake cloud reports them. */
export const edgeOutputs: Record<string, OutputSynthesizer> = {
    // Named the way Pulumi auto-names a bucket: the logical name and a random suffix.
    "aws:s3/bucket:Bucket": (name, inputs) => ({ bucket: inputs.bucket ?? `${name}-a1b2c3d` }),
};
