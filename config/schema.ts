import { z } from "zod";
import { type PerProfile, type Profile, profiles } from "./profile";
import { clusterDefaults, clusterSchema } from "./sections/cluster";
import { databaseDefaults, databaseSchema } from "./sections/database";
import { edgeDefaults, edgeSchema } from "./sections/edge";
import { observabilityDefaults, observabilitySchema } from "./sections/observability";
import { imagesDefaults, imagesSchema } from "./sections/images";
import { loadTestDefaults, loadTestSchema } from "./sections/loadTest";
import { networkDefaults, networkSchema } from "./sections/network";
import { type CrossRule, crossSectionRules, type Sections } from "./crossSection";
import { policyAgreementRules } from "./policyAgreement";
import { serviceDefaultsFor, serviceSecretsSchema, servicesDefaults, servicesSchema } from "./sections/services";
import { tagsDefaults, tagsSchema } from "./sections/tags";

/**
 * Every key of the stack's namespace (`platform:<key>`), each a section with its own schema.
 * This object is the one list of knobs: Pulumi.yaml and the README's reference are generated from it.
 */
export const sectionsSchema = z.strictObject({
    profile: z.enum(profiles).meta({
        description:
            "Which defaults the stack starts from: `dev` (cheap, disposable) or `production` (highly available, protected). Required in every stack file.",
    }),
    tags: tagsSchema,
    network: networkSchema,
    cluster: clusterSchema,
    database: databaseSchema,
    edge: edgeSchema,
    images: imagesSchema,
    observability: observabilitySchema,
    loadTest: loadTestSchema,
    services: servicesSchema,
    serviceSecrets: serviceSecretsSchema,
});

/** The rules over several sections: the cross-section rules, and the policy thresholds a config value can break. */
export const crossRules: readonly CrossRule[] = [...crossSectionRules, ...policyAgreementRules];

/** The sections with every cross-section rule: what a valid configuration satisfies. */
export const settingsSchema = sectionsSchema.superRefine((settings, ctx) => {
    for (const rule of crossRules) {
        rule.check(settings as Sections, ctx);
    }
});

/** What the program receives, every default applied and every rule checked. */
export type Settings = z.output<typeof settingsSchema>;

type SectionDefaults = Omit<z.input<typeof settingsSchema>, "profile">;

const defaults: PerProfile<SectionDefaults> = {
    dev: { tags: tagsDefaults.dev, network: networkDefaults.dev, cluster: clusterDefaults.dev, database: databaseDefaults.dev, edge: edgeDefaults.dev, images: imagesDefaults.dev, observability: observabilityDefaults.dev, loadTest: loadTestDefaults.dev, services: servicesDefaults.dev, serviceSecrets: {} },
    production: { tags: tagsDefaults.production, network: networkDefaults.production, cluster: clusterDefaults.production, database: databaseDefaults.production, edge: edgeDefaults.production, images: imagesDefaults.production, observability: observabilityDefaults.production, loadTest: loadTestDefaults.production, services: servicesDefaults.production, serviceSecrets: {} },
};

/** The value of every section before the stack file is laid over it. */
export function defaultsFor(profile: Profile): SectionDefaults {
    return defaults[profile];
}

/**
 * Lists whose every entry starts from a per-profile default entry, field by field: a list
 * replaces its default whole, so its entries' defaults are laid under each entry instead.
 */
export function itemDefaultsFor(profile: Profile): Partial<Record<keyof SectionDefaults, object>> {
    return { services: serviceDefaultsFor(profile) };
}
