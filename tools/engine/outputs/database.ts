import type { OutputSynthesizer } from "./types";

/** Outputs of the database resources the program reads back, as the fake cloud reports them. */
export const databaseOutputs: Record<string, OutputSynthesizer> = {
    "aws:rds/instance:Instance": (name, inputs, region) => {
        const address = `${inputs.identifier ?? name}.cfakerender01.${region}.rds.amazonaws.com`;
        return { address, endpoint: `${address}:${inputs.port ?? 5432}`, port: inputs.port ?? 5432 };
    },
    // Never a real secret: a render has none, and the value is marked secret like the real one.
    "random:index/randomPassword:RandomPassword": (name) => ({ result: `render-password-of-${name}` }),
    "random:index/randomId:RandomId": (name) => ({ hex: Buffer.from(name).toString("hex").slice(0, 8) }),
};
