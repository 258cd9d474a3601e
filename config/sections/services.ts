import { z } from "zod";
import type { PerProfile } from "../profile";
import { dnsLabel, pinnedImage } from "../rules";

/** One service the platform runs. */
export const serviceSchema = z
    .strictObject({
        name: dnsLabel.meta({ description: "Service name: its Kubernetes objects, its ECR repository and its image are named after it." }),
        source: z
            .string()
            .min(1)
            .optional()
            .meta({ description: "Folder, relative to the project, holding the service's Dockerfile; the image is built from it on `pulumi up`." }),
        image: pinnedImage
            .optional()
            .meta({ description: "A prebuilt image to run instead of building one, pinned by tag or digest (never `latest`)." }),
    })
    .superRefine((service, ctx) => {
        if ((service.source === undefined) === (service.image === undefined)) {
            ctx.addIssue({ code: "custom", path: ["source"], input: service.source, message: "needs exactly one of source or image" });
        }
    });

/** The services of the stack. */
export const servicesSchema = z
    .array(serviceSchema)
    .superRefine((services, ctx) => {
        const seen = new Set<string>();
        services.forEach((service, i) => {
            if (seen.has(service.name)) {
                ctx.addIssue({ code: "custom", path: [i, "name"], input: service.name, message: "is the name of another service too" });
            }
            seen.add(service.name);
        });
    })
    .meta({ description: "The services deployed on the cluster, each built from `source` or run from a prebuilt `image`." });

export type ServiceConfig = z.output<typeof serviceSchema>;

export const servicesDefaults: PerProfile<z.input<typeof servicesSchema>> = { dev: [], production: [] };
