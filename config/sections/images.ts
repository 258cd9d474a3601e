import { z } from "zod";
import type { PerProfile } from "../profile";

/** Platforms EKS node groups run: x86 instances and Graviton. */
export const imagePlatforms = ["linux/amd64", "linux/arm64"] as const;

/** How service images are built and how long ECR keeps them. */
export const imagesSchema = z
    .strictObject({
        platform: z
            .enum(imagePlatforms)
            .default("linux/amd64")
            .meta({ description: "The platform images are built for; it must match the node groups' architecture. Defaults to `linux/amd64`." }),
        keepTaggedImages: z
            .number()
            .int()
            .min(1)
            .max(1000)
            .default(20)
            .meta({
                description:
                    "How many of the newest tagged images each ECR repository keeps; older ones expire, except the versions the stack runs or can roll back to (this update's build and every tag `release` pins), which never do. Untagged images expire after a day. Defaults to `20`.",
            }),
    })
    .meta({ description: "How service images are built (`docker.Image`) and kept in ECR." });

export type ImagesConfig = z.output<typeof imagesSchema>;

export const imagesDefaults: PerProfile<z.input<typeof imagesSchema>> = { dev: {}, production: {} };
