import { z } from "zod";
import type { PerProfile } from "../profile";

const tagKey = z
    .string()
    .min(1)
    .max(128)
    .refine((key) => !key.toLowerCase().startsWith("aws:"), { error: "uses the reserved prefix aws:" });

/** Tags added to every AWS resource through the provider's default tags. */
export const tagsSchema = z.record(tagKey, z.string().max(256)).meta({
    description:
        "Extra tags on every AWS resource (the provider's default tags). `project`, `stack` and `managed-by` are always set.",
});

export const tagsDefaults: PerProfile<z.input<typeof tagsSchema>> = { dev: {}, production: {} };
