import type { PerProfile, Profile } from "../../config/profile";

export type { PerProfile, Profile } from "../../config/profile";

/**
 * What a violation does: `mandatory` stops the update, `advisory` prints a warning, `disabled` skips
 * the rule. `remediate` fixes the resource under the engine (CrossGuard's remediation) and counts
 * as mandatory wherever nothing can fix it (the offline check, or a violation left after the fix).
 */
export type Enforcement = "mandatory" | "remediate" | "advisory" | "disabled";

/** A path into a resource's properties, e.g. `["spec", "template"]`. */
export type PropertyPath = readonly (string | number)[];

/**
 * The least a rule needs to know about one resource. CrossGuard builds it from a policy's
 * arguments, the offline check from the render; the rules cannot tell the two apart.
 */
export interface ReviewedResource {
    readonly urn: string;
    /** Pulumi type token, e.g. `aws:rds/instance:Instance`. */
    readonly type: string;
    readonly name: string;
    /**
     * Inputs as the provider receives them (resource rules), or the resource's state (stack rules
     * under the engine). Secrets arrive decrypted; a value the engine does not know yet throws on read.
     */
    readonly props: Readonly<Record<string, unknown>>;
    /** The Pulumi `protect` option: neither `pulumi destroy` nor a replacement can delete the resource. */
    readonly protect: boolean;
    /** For each property, the URNs of the resources its value came from. */
    readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
    /**
     * Whether the property at a path is marked secret (the mark on an enclosing value counts).
     * Absent where secrets arrive without their mark: @pulumi/policy 1.21.0 strips the marks before
     * `validateResource` and `validateStack` run (server.ts, `deserializeProperties(..., false)`) and
     * keeps them only for remediations.
     */
    readonly isSecret?: (path: PropertyPath) => boolean;
}

/** A finding, with the resource it is about (stack rules may name one). */
export interface Violation {
    readonly message: string;
    readonly urn?: string;
}

interface RuleBase {
    /** Unique kebab-case name: the CrossGuard policy name and the key in `policy/config.<stack>.json`. */
    readonly name: string;
    /** One sentence: what must be true. */
    readonly description: string;
    /** What a violation does in each profile; production is the strict one. */
    readonly enforcement: PerProfile<Enforcement>;
}

/** A rule about one resource at a time. */
export interface ResourceRule extends RuleBase {
    readonly kind: "resource";
    /** The resource types the rule reads; others are never passed to `check`. */
    readonly resourceTypes: readonly string[];
    /** The violation messages for one resource of the stack's profile; empty when it complies. */
    readonly check: (resource: ReviewedResource, profile: Profile) => string[];
    /**
     * For a rule that can fix what it finds: the properties to seal as Pulumi secrets. Under the
     * engine the rule's policy wraps them in CrossGuard's `Secret` (a remediation).
     */
    readonly unsealed?: (resource: ReviewedResource, profile: Profile) => PropertyPath[];
}

/** A rule about how resources relate (a VPC and its flow log, a Deployment and its budget). */
export interface StackRule extends RuleBase {
    readonly kind: "stack";
    /** The resource types the rule reads; a stack without any of them has nothing to check. */
    readonly resourceTypes: readonly string[];
    readonly check: (resources: readonly ReviewedResource[], profile: Profile) => Violation[];
}

export type Rule = ResourceRule | StackRule;
