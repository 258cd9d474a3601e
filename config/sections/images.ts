import { z } from "zod";
import type { PerProfile } from "../profile";

export const imagesSchema = z
    .strictObject({
        platform: z
            .enum(["linux/amd64", "linux/arm64"])
            .meta({ description: "The platform images are built for; it must match the node groups' instance types. Default `linux/amd64`." }),
        keepTaggedImages: z.int().min(1).max(1000).meta({ description: "Tagged images each repository keeps; older ones expire (untagged ones after 7 days). Default 20." }),
    })
    .meta({ description: "How service images are built and kept in ECR." });

export type ImagesSettings = z.output<typeof imagesSchema>;

export const imagesDefaults: PerProfile<z.input<typeof imagesSchema>> = {
    dev: { platform: "linux/amd64", keepTaggedImages: 20 },
    production: { platform: "linux/amd64", keepTaggedImages: 20 },
};
