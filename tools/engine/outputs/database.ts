import { createHash } from "crypto";
import type { OutputSynthesizer } from "./types";

/** Outputs of the database resources the program reads back, as the fake cloud reports them. */
export const databaseOutputs: Record<string, OutputSynthesizer> = {
    "aws:rds/instance:Instance": (name, inputs, region) => {
        const address = `${inputs.identifier ?? name}.cfakerender01.${region}.rds.amazonaws.com`;
        return { address, endpoint: `${address}:${inputs.port ?? 5432}`, port: inputs.port ?? 5432 };
    },
    // Never a real secret: a render has none, and the value is marked secret like the real one.
    // As in the random provider, changed keepers generate a new value.
    "random:index/randomPassword:RandomPassword": (name, inputs) => ({
        result: `render-password-of-${name}${inputs.keepers ? `-${createHash("sha256").update(JSON.stringify(inputs.keepers)).digest("hex").slice(0, 8)}` : ""}`,
    }),
    "random:index/randomId:RandomId": (name) => ({ hex: Buffer.from(name).toString("hex").slice(0, 8) }),
};
