import type { Unwrap } from "@pulumi/pulumi";
import type { ReviewedResource } from "./types";

/**
 * A resource's properties read through its provider's argument type (`aws.rds.InstanceArgs`...),
 * so a rule names only fields the provider has. Every field may be absent: the provider's default applies.
 */
export type Shape<Args> = Partial<Unwrap<Args>>;

/** The resource's properties as the provider's argument type; the rule still checks what it reads. */
export function shapeOf<Args>(resource: ReviewedResource): Shape<Args> {
    return resource.props as Shape<Args>;
}

/** A list property, or no items when it is absent or not a list. */
export function itemsOf<T>(value: readonly T[] | undefined | null): readonly T[] {
    return Array.isArray(value) ? value : [];
}

/** Trimmed text of a string property; empty when absent or not a string. */
export function textOf(value: unknown): string {
    return typeof value === "string" ? value.trim() : "";
}

/** True when the resource's `property` takes its value from `target` (e.g. a flow log's `vpcId` from a VPC). */
export function takesFrom(resource: ReviewedResource, property: string, target: ReviewedResource): boolean {
    return (resource.propertyDependencies[property] ?? []).includes(target.urn);
}
