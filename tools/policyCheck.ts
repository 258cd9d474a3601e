import * as path from "path";
import { type Profile, profiles } from "../config/profile";
import { type PropertyPath, type ReviewedResource, reviewStack, type RuleOutcome, rules, stopsUpdate } from "../policy/rules";
import type { Rendered } from "./engine/model";
import { readProject, readStackConfig } from "./engine/stackFiles";
import { isSecret, reveal } from "./engine/wire";

/** True when the value at `path`, or a value enclosing it, carries the render's secret mark. */
export function markedSecret(value: unknown, path: PropertyPath): boolean {
    let current = value;
    for (const key of [...path, undefined]) {
        if (isSecret(current)) {
            return true;
        }
        if (key === undefined || typeof current !== "object" || current === null) {
            return false;
        }
        current = (current as Record<string | number, unknown>)[key];
    }
    return false;
}

/**
 * The render's resources as the policy rules read them: inputs decrypted, secret marks still
 * answerable, and the stack's outputs as the properties of the stack resource.
 */
export function reviewedResources(rendered: Rendered): ReviewedResource[] {
    return rendered.resources.map((resource) => {
        const marked = resource.type === "pulumi:pulumi:Stack" ? rendered.outputs : resource.inputs;
        return {
            urn: resource.urn,
            type: resource.type,
            name: resource.name,
            props: reveal(marked) as Record<string, unknown>,
            protect: resource.options.protect === true,
            propertyDependencies: resource.propertyDependencies,
            isSecret: (path: PropertyPath) => markedSecret(marked, path),
        };
    });
}

/** Runs the policy pack's rules over a render, as `pulumi preview --policy-pack` would for the profile. */
export function checkRender(rendered: Rendered, profile: Profile): RuleOutcome[] {
    return reviewStack(reviewedResources(rendered), profile, rules);
}

/** The profile a shipped stack declares in its stack file (`platform:profile`). */
export function stackProfile(projectDir: string, stack: string): Profile {
    const project = readProject(projectDir);
    const declared = readStackConfig(projectDir, project, stack).values[`${project.name}:profile`];
    const profile = profiles.find((p) => p === declared);
    if (!profile) {
        throw new Error(`${path.join(projectDir, `Pulumi.${stack}.yaml`)}: platform:profile ${JSON.stringify(declared)} is not one of ${profiles.join(", ")}`);
    }
    return profile;
}

/** Violations that stop `pulumi up`: mandatory rules, and remediating ones (offline nothing remediates). */
export function blocking(outcomes: readonly RuleOutcome[]): RuleOutcome[] {
    return outcomes.filter((outcome) => stopsUpdate(outcome.enforcement) && outcome.violations.length > 0);
}

/** A report a reviewer reads: one line per rule, then each violation under its rule. */
export function formatOutcomes(outcomes: readonly RuleOutcome[], stack: string, profile: Profile): string {
    const width = Math.max(...outcomes.map((o) => o.rule.name.length));
    const lines = [`Policy check of stack ${stack} (profile ${profile}), offline:`];
    for (const outcome of outcomes) {
        const verdict =
            outcome.enforcement === "disabled"
                ? "not enforced"
                : outcome.checked === 0
                  ? "nothing to check"
                  : outcome.violations.length === 0
                    ? `ok (${outcome.checked} checked)`
                    : `${outcome.violations.length} violation${outcome.violations.length === 1 ? "" : "s"}`;
        lines.push(`  ${outcome.rule.name.padEnd(width)}  ${outcome.enforcement.padEnd(9)}  ${verdict}`);
        for (const violation of outcome.violations) {
            lines.push(`      ${violation.urn ? `${violation.urn.split("::").slice(-2).join("::")}: ` : ""}${violation.message}`);
        }
    }
    const stopping = blocking(outcomes).reduce((sum, o) => sum + o.violations.length, 0);
    lines.push(stopping === 0 ? "No mandatory violation." : `${stopping} mandatory violation${stopping === 1 ? "" : "s"}: pulumi up would stop.`);
    return lines.join("\n");
}
