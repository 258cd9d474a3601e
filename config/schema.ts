import { z } from "zod";
import { type PerProfile, type Profile, profiles } from "./profile";
import { imagesDefaults, imagesSchema } from "./sections/images";
import { servicesDefaults, servicesSchema } from "./sections/services";
import { tagsDefaults, tagsSchema } from "./sections/tags";

/**
 * Every key of the stack's namespace (`platform:<key>`), each a section with its own schema.
 * This object is the one list of knobs: Pulumi.yaml and the README's reference are generated from it.
 */
export const settingsSchema = z.strictObject({
    profile: z.enum(profiles).meta({
        description:
            "Which defaults the stack starts from: `dev` (cheap, disposable) or `production` (highly available, protected). Required in every stack file.",
    }),
    tags: tagsSchema,
    services: servicesSchema,
    images: imagesSchema,
});

/** What the program receives, every default applied and every rule checked. */
export type Settings = z.output<typeof settingsSchema>;

type SectionDefaults = Omit<z.input<typeof settingsSchema>, "profile">;

const defaults: PerProfile<SectionDefaults> = {
    dev: { tags: tagsDefaults.dev, services: servicesDefaults.dev, images: imagesDefaults.dev },
    production: { tags: tagsDefaults.production, services: servicesDefaults.production, images: imagesDefaults.production },
};

/** The value of every section before the stack file is laid over it. */
export function defaultsFor(profile: Profile): SectionDefaults {
    return defaults[profile];
}
