import type { z } from "zod";
import type { SectionPath, Sections } from "./crossSection";
import { crossRules, sectionsSchema } from "./schema";
import { serviceSchema } from "./sections/services";

/** What a cross-section rule may read: the value at a section or a section's key, when it is valid. */
export function validValue(merged: Record<string, unknown>, path: SectionPath): { valid: boolean; value?: unknown } {
    const [section, key] = path.split(".", 2) as [keyof Sections, string | undefined];
    const sectionSchema = sectionsSchema.shape[section] as z.ZodType;
    if (key === undefined) {
        const parsed = sectionSchema.safeParse(merged[section]);
        if (parsed.success || section !== "services" || !Array.isArray(merged.services)) {
            return { valid: parsed.success, value: parsed.success ? parsed.data : undefined };
        }
        // Services are checked one by one: the valid ones keep their place, an invalid one leaves a hole that forEach skips.
        const services: unknown[] = new Array(merged.services.length);
        merged.services.forEach((entry: unknown, i: number) => {
            const service = serviceSchema.safeParse(entry);
            if (service.success) {
                services[i] = service.data;
            }
        });
        return { valid: true, value: services };
    }
    const keySchema = (sectionSchema as z.ZodObject).shape[key] as z.ZodType;
    const parsed = keySchema.safeParse((merged[section] as Record<string, unknown> | undefined)?.[key]);
    return { valid: parsed.success, value: parsed.success ? parsed.data : undefined };
}

/** What {@link validValue} finds at each path of `merged`, each path parsed once however many rules read it. */
export type ValidValues = (path: SectionPath) => { valid: boolean; value?: unknown };

/** A reader of `merged`'s valid values that parses each path once: the rules only read what they are handed. */
export function validValues(merged: Record<string, unknown>): ValidValues {
    const parsed = new Map<SectionPath, { valid: boolean; value?: unknown }>();
    return (path) => {
        let found = parsed.get(path);
        if (!found) {
            found = validValue(merged, path);
            parsed.set(path, found);
        }
        return found;
    };
}

/**
 * The problems of the rules over several sections, each run when what it reads is valid (and
 * handed only that): a bad value anywhere else does not hide what a rule finds.
 */
export function crossIssues(merged: Record<string, unknown>, read: ValidValues = validValues(merged)): z.core.$ZodIssue[] {
    const issues: z.core.$ZodIssue[] = [];
    const ctx = { addIssue: (issue: object) => issues.push({ code: "custom", ...issue } as z.core.$ZodIssue) } as unknown as z.RefinementCtx;
    for (const rule of crossRules) {
        const reads = rule.reads.map((path) => ({ path, ...read(path) }));
        if (reads.every((read) => read.valid)) {
            const settings: Record<string, Record<string, unknown> | unknown> = {};
            for (const { path, value } of reads) {
                const [section, key] = path.split(".", 2);
                if (key === undefined) {
                    settings[section] = value;
                } else {
                    settings[section] = { ...(settings[section] as object), [key]: value };
                }
            }
            rule.check(settings as unknown as Sections, ctx);
        }
    }
    return issues;
}
