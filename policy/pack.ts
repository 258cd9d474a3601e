import type {
    PolicyConfigSchema,
    PolicyResource,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { type Profile, profiles } from "../config/profile";
import { type ReviewedResource, type Rule, rules } from "./rules";

export type {
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";

/** Each policy's config: the stack's profile, which sets thresholds such as the backup retention. */
export const profileConfigSchema: PolicyConfigSchema = {
    properties: {
        profile: {
            type: "string",
            enum: [...profiles],
            description: "The profile of the stack under review (its platform:profile). Absent: production, the strictest.",
        },
    },
};

/** The profile a policy's config names; a stack that names none is held to production's thresholds. */
export function profileOf(config: { profile?: unknown }): Profile {
    return profiles.find((profile) => profile === config.profile) ?? "production";
}

/** A resource as CrossGuard hands it to `validateResource` (secrets already decrypted, so no secret marks). */
export function fromValidationArgs(args: ResourceValidationArgs): ReviewedResource {
    return { urn: args.urn, type: args.type, name: args.name, props: args.props, protect: args.opts.protect, propertyDependencies: {} };
}

/** A resource as CrossGuard hands it to `validateStack`: its state, and where each property came from. */
export function fromPolicyResource(resource: PolicyResource): ReviewedResource {
    const propertyDependencies = Object.fromEntries(
        Object.entries(resource.propertyDependencies).map(([property, sources]) => [property, sources.map((source) => source.urn)]),
    );
    return { urn: resource.urn, type: resource.type, name: resource.name, props: resource.props, protect: resource.opts.protect, propertyDependencies };
}

/** One rule as a CrossGuard policy. Without a config file it enforces production's level. */
export function crossGuardPolicy(rule: Rule): ResourceValidationPolicy | StackValidationPolicy {
    const common = {
        name: rule.name,
        description: rule.description,
        enforcementLevel: rule.enforcement.production,
        configSchema: profileConfigSchema,
    };
    if (rule.kind === "resource") {
        return {
            ...common,
            validateResource: (args, reportViolation) => {
                if (rule.resourceTypes.includes(args.type)) {
                    for (const message of rule.check(fromValidationArgs(args), profileOf(args.getConfig()))) {
                        reportViolation(message);
                    }
                }
            },
        };
    }
    return {
        ...common,
        validateStack: (args: StackValidationArgs, reportViolation) => {
            for (const violation of rule.check(args.resources.map(fromPolicyResource), profileOf(args.getConfig()))) {
                reportViolation(violation.message, violation.urn);
            }
        },
    };
}

/** The platform's rules as CrossGuard policies, in the order the rules list them. */
export function crossGuardPolicies(): (ResourceValidationPolicy | StackValidationPolicy)[] {
    return rules.map(crossGuardPolicy);
}
