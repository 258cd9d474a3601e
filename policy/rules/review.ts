import type { Enforcement, Profile, ReviewedResource, Rule, Violation } from "./types";

/** What one rule found in a stack. */
export interface RuleOutcome {
    readonly rule: Rule;
    readonly enforcement: Enforcement;
    /** How many resources of the rule's types the stack has: zero means the rule had nothing to check. */
    readonly checked: number;
    readonly violations: readonly Violation[];
}

/** Whether a violation stops the update: mandatory rules, and remediating ones where nothing fixes the resource. */
export function stopsUpdate(enforcement: Enforcement): boolean {
    return enforcement === "mandatory" || enforcement === "remediate";
}

/** Runs every rule over a stack's resources as CrossGuard would for that profile (disabled rules do not run). */
export function reviewStack(resources: readonly ReviewedResource[], profile: Profile, rules: readonly Rule[]): RuleOutcome[] {
    return rules.map((rule) => {
        const enforcement = rule.enforcement[profile];
        const relevant = resources.filter((r) => rule.resourceTypes.includes(r.type));
        if (enforcement === "disabled") {
            return { rule, enforcement, checked: relevant.length, violations: [] };
        }
        const violations =
            rule.kind === "resource"
                ? relevant.flatMap((r) => rule.check(r, profile).map((message) => ({ urn: r.urn, message })))
                : relevant.length > 0
                  ? rule.check(resources, profile)
                  : [];
        return { rule, enforcement, checked: relevant.length, violations };
    });
}

/** One policy's entry in a `--policy-pack-config` file: its enforcement and the profile its thresholds follow. */
export interface PolicyConfigEntry {
    enforcementLevel: Enforcement;
    profile: Profile;
}

/** The `--policy-pack-config` file for a stack of this profile: every rule, its enforcement, the profile. */
export function policyPackConfig(profile: Profile, rules: readonly Rule[]): Record<string, PolicyConfigEntry> {
    return Object.fromEntries(rules.map((rule) => [rule.name, { enforcementLevel: rule.enforcement[profile], profile }]));
}
