import { z } from "zod";
import type { PerProfile } from "../profile";

export const loadTestSchema = z
    .strictObject({
        virtualUsers: z.int().min(1).max(1000).meta({ description: "Concurrent virtual users of the post-deploy k6 test. Dev 5, production 20." }),
        durationSeconds: z.int().min(5).max(1800).meta({ description: "How long the k6 test runs. Dev 30, production 60." }),
        p95Ms: z.int().min(1).meta({ description: "The test fails when the 95th percentile response time exceeds this. Dev 800, production 500." }),
        maxErrorRate: z.number().min(0).max(1).meta({ description: "The test fails when more than this share of requests fail. Default 0.01." }),
        path: z.string().regex(/^\//, { error: "is not an absolute URL path (it must start with /)" }).meta({ description: "Path requested on every service. Default `/health/ready`." }),
    })
    .meta({ description: "The short k6 load test CI runs after each deploy; over its thresholds it fails the pipeline." });

export type LoadTestSettings = z.output<typeof loadTestSchema>;

export const loadTestDefaults: PerProfile<z.input<typeof loadTestSchema>> = {
    dev: { virtualUsers: 5, durationSeconds: 30, p95Ms: 800, maxErrorRate: 0.01, path: "/health/ready" },
    production: { virtualUsers: 20, durationSeconds: 60, p95Ms: 500, maxErrorRate: 0.01, path: "/health/ready" },
};
