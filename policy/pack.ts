import type {
    PolicyConfigSchema,
    PolicyResource,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { type Profile, profiles } from "../config/profile";
import { plainOf, type SecretClass, sealedAt, sealPaths, storedProps } from "./remediation";
import { type ResourceRule, type ReviewedResource, type Rule, rules } from "./rules";

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

/** A resource as CrossGuard hands it to `validateResource`: secrets decrypted and their marks stripped. */
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

/**
 * A resource as CrossGuard hands it to `remediateResource`: secret marks still there, so a rule
 * can tell a sealed value from a plain one.
 */
export function fromRemediationArgs(args: ResourceValidationArgs, secret: SecretClass): { resource: ReviewedResource; stored: Record<string, unknown> } {
    const stored = storedProps(args.props);
    const resource: ReviewedResource = {
        urn: args.urn,
        type: args.type,
        name: args.name,
        props: plainOf(stored, secret) as Record<string, unknown>,
        protect: args.opts.protect,
        propertyDependencies: {},
        isSecret: (path) => sealedAt(stored, path, secret),
    };
    return { resource, stored };
}

/** The remediation of a rule that seals what it finds: the inputs with each plain value sealed, or nothing to change. */
function remediation(rule: ResourceRule, unsealed: NonNullable<ResourceRule["unsealed"]>, secret: SecretClass): ResourceValidationPolicy["remediateResource"] {
    return (args) => {
        if (!rule.resourceTypes.includes(args.type)) {
            return undefined;
        }
        const { resource, stored } = fromRemediationArgs(args, secret);
        const paths = unsealed(resource, profileOf(args.getConfig()));
        return paths.length > 0 ? sealPaths(stored, paths, secret) : undefined;
    };
}

/**
 * One rule as a CrossGuard policy. Without a config file it enforces production's level. A rule
 * that seals what it finds also remediates, given CrossGuard's `Secret` class.
 */
export function crossGuardPolicy(rule: Rule, secret?: SecretClass): ResourceValidationPolicy | StackValidationPolicy {
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
            ...(rule.unsealed && secret ? { remediateResource: remediation(rule, rule.unsealed, secret) } : {}),
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
export function crossGuardPolicies(secret?: SecretClass): (ResourceValidationPolicy | StackValidationPolicy)[] {
    return rules.map((rule) => crossGuardPolicy(rule, secret));
}
