import { strict as assert } from "assert";
import fc from "fast-check";
import { type NamedObject, namedObjectProblems } from "../../config/derivedNames";
import {
    annotationsProblems,
    dns1035LabelProblems,
    dns1123LabelProblems,
    dns1123SubdomainProblems,
    labelValueProblems,
    qualifiedNameProblems,
} from "../../config/kubernetesNames";
import { serviceObjects } from "../../config/derivedNames";
import { RenderQuery } from "../../tools/engine/query";
import { renderStack } from "../../tools/engine/render";
import { projectDir } from "../harness";
import { acceptedConfig, problemsOf } from "./source";

// Every name, label and annotation key a service derives is one the API server (and the load
// balancer controller, for the ALB group) accepts, for every service name the config accepts, and
// the config refuses a name whose derived names would be refused. The renders are the proof that
// validation knows every name the program builds: an object the list misses fails here.

const label = (min: number, max: number) =>
    fc.tuple(fc.integer({ min, max }), fc.stringMatching(/^[a-z0-9-]+$/), fc.constantFrom("a", "b", "1")).map(([length, body, end]) => {
        const middle = body.repeat(Math.ceil(length / Math.max(body.length, 1))).slice(0, Math.max(length - 2, 0));
        return length === 1 ? end : `a${middle}${end}`.slice(0, length);
    });

describe("Kubernetes names as the API server checks them (apimachinery v0.35)", () => {
    it("accepts what the RFC 1123 and RFC 1035 grammars build, up to their lengths, and nothing longer", () => {
        fc.assert(
            fc.property(label(1, 80), (value) => {
                const validLabel = value.length <= 63 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value);
                assert.equal(dns1123LabelProblems(value).length === 0, validLabel, value);
                assert.equal(dns1035LabelProblems(value).length === 0, validLabel && /^[a-z]/.test(value), value);
                assert.equal(dns1123SubdomainProblems(value).length === 0, /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value), value);
                assert.equal(labelValueProblems(value).length === 0, value.length <= 63, value);
            }),
        );
        assert.deepEqual(dns1123SubdomainProblems(`${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(61)}`), []);
        assert.notDeepEqual(dns1123SubdomainProblems(`${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(62)}`), []);
        assert.notDeepEqual(labelValueProblems("-a"), []);
        assert.deepEqual(labelValueProblems(""), []);
    });

    it("takes annotation keys as qualified names: a DNS subdomain prefix and a name part of at most 63, case aside", () => {
        assert.deepEqual(qualifiedNameProblems("alb.ingress.kubernetes.io/conditions.api-preview"), []);
        assert.deepEqual(qualifiedNameProblems("MyName"), []);
        assert.deepEqual(annotationsProblems({ "Alb.Ingress.Kubernetes.io/Scheme": "x" }), [], "keys are checked lowercased");
        fc.assert(
            fc.property(fc.integer({ min: 1, max: 90 }), (length) => {
                const key = `alb.ingress.kubernetes.io/${"c".repeat(length)}`;
                assert.equal(qualifiedNameProblems(key).length === 0, length <= 63);
            }),
        );
        assert.notDeepEqual(qualifiedNameProblems("a/b/c"), []);
        assert.notDeepEqual(qualifiedNameProblems("/name"), []);
        assert.notDeepEqual(annotationsProblems({ big: "x".repeat(256 * 1024) }), [], "keys and values together at most 256 KiB");
    });
});

/** A Kubernetes object of a render as the API server would receive it. */
function renderedObjects(render: RenderQuery): NamedObject[] {
    return render.manifests().map(({ object, resource }) => {
        const rules = ((object.spec as { rules?: { http?: { paths?: { backend?: { service?: { name?: string } } }[] } }[] } | undefined)?.rules ?? []);
        return {
            kind: object.kind,
            name: object.metadata.name ?? `${resource.name}-abcdefgh`,
            labels: object.metadata.labels,
            annotations: object.metadata.annotations,
            ...(object.kind === "Ingress" ? { backends: rules.flatMap((rule) => (rule.http?.paths ?? []).map((path) => path.backend?.service?.name ?? "")) } : {}),
        };
    });
}

/** A name with its content digest (10 hex) replaced, so names built from other content compare. */
const shape = (object: NamedObject) => `${object.kind}/${object.name.replace(/[0-9a-f]{10}$/, "<digest>")}`;

describe("config: every name a service derives is one Kubernetes accepts", function () {
    this.timeout(300_000);
    const certificate = "arn:aws:acm:eu-west-1:123456789012:certificate/0c5b6f2e-8d1a-4b7e-9f3c-2a6d4e8b1c70";
    const service = fc.record({
        name: label(1, 63),
        strategy: fc.constantFrom("rolling", "blueGreen"),
        ingress: fc.boolean(),
        database: fc.boolean(),
    });

    for (const stack of ["dev", "production"] as const) {
        it(`${stack}: a name the config accepts renders only names, labels and annotation keys the API server accepts, all listed by the validation`, async () => {
            let rendered = 0;
            await fc.assert(
                fc.asyncProperty(service, async ({ name, strategy, ingress, database }) => {
                    const entry = {
                        name,
                        source: "services/api",
                        strategy,
                        database: { enabled: database },
                        ingress: ingress ? { enabled: true, host: "api.example.com", certificateArn: certificate } : { enabled: false },
                    };
                    const overrides = { "platform:services": [entry] };
                    const problems = problemsOf(stack, overrides);
                    if (problems.length > 0) {
                        return;
                    }
                    rendered++;
                    const render = new RenderQuery(await renderStack({ projectDir, stack, overrides }));
                    const objects = renderedObjects(render);
                    for (const object of objects) {
                        assert.deepEqual(namedObjectProblems(object), [], `${object.kind} ${object.name}`);
                    }
                    // Every object named after the service is one the validation checked.
                    const listed = new Set(serviceObjects(acceptedConfig(stack, overrides).services[0], { project: "platform", stack }).map(shape));
                    const own = objects.filter((object) => object.name.startsWith(name) || object.labels?.["platform.io/service"] === name);
                    assert.deepEqual(own.map(shape).filter((s) => !listed.has(s)), [], "objects the validation does not know about");
                }),
                { numRuns: 10 },
            );
            assert.ok(rendered > 0, "some generated names were accepted and rendered");
        });
    }

    it("refuses a name exactly when one of its derived names would be refused, saying how long a name may be", () => {
        fc.assert(
            fc.property(fc.integer({ min: 1, max: 63 }), fc.constantFrom("dev", "production"), fc.boolean(), (length, stack, database) => {
                const name = "a".repeat(length);
                const entry = { name, source: "services/api", strategy: "blueGreen", database: { enabled: database }, ingress: { enabled: true, host: "api.example.com", certificateArn: certificate } };
                const refused = problemsOf(stack, { "platform:services": [entry] }).filter((line) => line.startsWith("services[0].name:") && line.includes("derives"));
                const derivedRefused = refused.length > 0;
                if (derivedRefused) {
                    const fits = Number(/at most (\d+) characters fit/.exec(refused[0])?.[1]);
                    assert.ok(fits < length, refused[0]);
                    assert.deepEqual(problemsOf(stack, { "platform:services": [{ ...entry, name: "a".repeat(fits) }] }).filter((line) => line.includes("derives")), [], `${fits} characters fit`);
                }
            }),
            { numRuns: 40 },
        );
    });
});
