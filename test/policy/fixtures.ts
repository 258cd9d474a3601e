import { strict as assert } from "assert";
import type { Shape } from "../../policy/rules/shapes";
import type { Rendered, RenderedResource } from "../../tools/engine/model";
import type { Profile, ResourceRule, ReviewedResource, StackRule, Violation } from "../../policy/rules/types";

/** A resource for a rule to read, its properties typed by the provider's arguments (`resource<InstanceArgs>(...)`). */
export function resource<Args>(type: string, name: string, props: Shape<Args>, extra: Partial<ReviewedResource> = {}): ReviewedResource {
    return {
        urn: `urn:pulumi:test::platform::${type}::${name}`,
        type,
        name,
        props: props as Record<string, unknown>,
        protect: false,
        propertyDependencies: {},
        ...extra,
    };
}

/** What a resource rule reports for one resource, after checking the rule reads that type at all. */
export function findings(rule: ResourceRule, subject: ReviewedResource, profile: Profile = "production"): string[] {
    assert.ok(rule.resourceTypes.includes(subject.type), `${rule.name} does not read ${subject.type}`);
    return rule.check(subject, profile);
}

/** What a stack rule reports for a set of resources. */
export function stackFindings(rule: StackRule, resources: readonly ReviewedResource[], profile: Profile = "production"): Violation[] {
    return rule.check(resources, profile);
}

/** Asserts one finding (at least) whose text matches. */
export function assertCaught(messages: readonly (string | Violation)[], pattern: RegExp): void {
    const texts = messages.map((m) => (typeof m === "string" ? m : m.message));
    assert.ok(texts.some((text) => pattern.test(text)), `expected a finding matching ${pattern}, got ${JSON.stringify(texts)}`);
}

/** Asserts no finding at all. */
export function assertClean(messages: readonly (string | Violation)[]): void {
    assert.deepEqual(messages.map((m) => (typeof m === "string" ? m : m.message)), []);
}

/** A render of a `test` stack holding the given resources under its stack resource, as the engine records them. */
export function renderOf(resources: { type: string; name: string; inputs: Record<string, unknown>; protect?: boolean }[], outputs: Record<string, unknown> = {}): Rendered {
    const stack: RenderedResource = {
        urn: "urn:pulumi:test::platform::pulumi:pulumi:Stack::platform-test",
        type: "pulumi:pulumi:Stack",
        name: "platform-test",
        custom: false,
        remote: false,
        inputs: {},
        options: {},
        dependencies: [],
        propertyDependencies: {},
    };
    const registered = resources.map(({ type, name, inputs, protect }): RenderedResource => ({
        ...stack,
        urn: `urn:pulumi:test::platform::${type}::${name}`,
        type,
        name,
        parent: stack.urn,
        custom: true,
        inputs,
        options: protect === undefined ? {} : { protect },
    }));
    return { project: "platform", stack: "test", resources: [stack, ...registered], outputs };
}
