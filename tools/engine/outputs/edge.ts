import type { OutputSynthesizer } from "./types";

/** Outputs of the edge resources the program reads back, as the fake cloud reports them. */
export const edgeOutputs: Record<string, OutputSynthesizer> = {
    // Named the way Pulumi auto-names a bucket: the logical name and a random suffix. A bucket's ARN is
    // `arn:aws:s3:::<bucket>`, so policies on its objects name the paths the bucket really has.
    "aws:s3/bucket:Bucket": (name, inputs) => {
        const bucket = inputs.bucket ?? `${name}-a1b2c3d`;
        return { bucket, arn: `arn:aws:s3:::${bucket}` };
    },
};
