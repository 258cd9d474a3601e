import { createHash } from "crypto";
import { replacingPaths } from "../replacements";
import type { OutputSynthesizer } from "./types";

/** What makes a new instance: the inputs that replace it, and a restore's source. */
const newInstanceInputs = [...replacingPaths["aws:rds/instance:Instance"], "snapshotIdentifier", "restoreToPointInTime"];

/** Outputs of the database resources the program reads back, as the fake cloud reports them. */
export const databaseOutputs: Record<string, OutputSynthesizer> = {
    "aws:rds/instance:Instance": (name, inputs, region) => {
        const address = `${inputs.identifier ?? name}.cfakerender01.${region}.rds.amazonaws.com`;
        // RDS gives every new instance its own DbiResourceId, whatever its identifier.
        const instance = createHash("sha256").update(JSON.stringify(newInstanceInputs.map((key) => inputs[key] ?? null))).digest("hex").slice(0, 26).toUpperCase();
        return { address, endpoint: `${address}:${inputs.port ?? 5432}`, port: inputs.port ?? 5432, resourceId: `db-${instance}` };
    },
    // Never a real secret: a render has none, and the value is marked secret like the real one.
    // As in the random provider, changed keepers generate a new value.
    "random:index/randomPassword:RandomPassword": (name, inputs) => ({
        result: `render-password-of-${name}${inputs.keepers ? `-${createHash("sha256").update(JSON.stringify(inputs.keepers)).digest("hex").slice(0, 8)}` : ""}`,
    }),
    "random:index/randomId:RandomId": (name) => ({ hex: Buffer.from(name).toString("hex").slice(0, 8) }),
};
