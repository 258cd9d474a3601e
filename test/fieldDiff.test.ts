import { strict as assert } from "assert";
import fc from "fast-check";
import { compare, identityKeyOf, identityKeys } from "../tools/engine/fieldDiff";

const scalar = fc.oneof(fc.string({ maxLength: 6 }), fc.integer({ min: -5, max: 5 }), fc.boolean());
const json = fc.jsonValue({ maxDepth: 3 });

/** Items with a unique `name`, as Kubernetes containers, env vars or volumes have. */
const named = fc.uniqueArray(fc.record({ name: fc.string({ minLength: 1, maxLength: 5 }), value: scalar }), { selector: (item) => item.name, maxLength: 6 });

describe("field diff", () => {
    it("finds no difference between a value and itself", () => {
        fc.assert(fc.property(json, (value) => compare("inputs", value, structuredClone(value)).length === 0));
    });

    it("finds a difference whenever two values differ (lists of keyed objects aside: their order is no change)", () => {
        const keyed = (value: unknown) => identityKeys.some((key) => JSON.stringify(value).includes(`"${key}":`));
        fc.assert(
            fc.property(json, json, (a, b) => {
                fc.pre(JSON.stringify(a) !== JSON.stringify(b) && !keyed(a) && !keyed(b));
                return compare("inputs", a, b).length > 0;
            }),
        );
    });

    it("compares lists of scalars by their members: what was added and removed, counted", () => {
        fc.assert(
            fc.property(fc.array(scalar, { maxLength: 8 }), fc.array(scalar, { maxLength: 4 }), fc.array(scalar, { maxLength: 4 }), (kept, added, removed) => {
                const before = [...removed, ...kept];
                const after = [...kept.slice().reverse(), ...added];
                const [change] = compare("list", before, after, () => true);
                const sorted = (list: unknown[]) => list.map((v) => JSON.stringify(v)).sort();
                if (!change) {
                    return JSON.stringify(sorted(before)) === JSON.stringify(sorted(after));
                }
                assert.equal(change.kind, "members");
                // Applying the reported change to `before` yields `after`'s members.
                const result: unknown[] = [...before];
                for (const gone of change.kind === "members" ? change.removed : []) {
                    result.splice(result.findIndex((v) => JSON.stringify(v) === JSON.stringify(gone)), 1);
                }
                result.push(...(change.kind === "members" ? change.added : []));
                assert.deepEqual(sorted(result), sorted(after));
                return true;
            }),
        );
    });

    it("reads list members as they are, a JSON-looking string included, and the same resource's URN of another stack as the same", () => {
        assert.deepEqual(compare("list", [], ["{}"]), [{ kind: "members", path: "list", added: ["{}"], removed: [], before: [], after: ["{}"] }]);
        assert.deepEqual(compare("options.dependsOn", ["urn:pulumi:dev::platform::aws:s3/bucket:Bucket::logs"], ["urn:pulumi:production::platform::aws:s3/bucket:Bucket::logs"]), []);
    });

    it("reports a new order of the same members, unless order has no meaning at that path", () => {
        assert.deepEqual(compare("inputs.enabledClusterLogTypes", ["audit", "api"], ["api", "audit"], () => true), []);
        assert.deepEqual(compare("inputs.instanceTypes", ["m7i.large", "m6i.large"], ["m6i.large", "m7i.large"]), [
            { kind: "order", path: "inputs.instanceTypes", before: ["m7i.large", "m6i.large"], after: ["m6i.large", "m7i.large"] },
        ]);
        // The report of issue 16: `audit` is on both sides, `api` is the one new member.
        assert.deepEqual(compare("inputs.enabledClusterLogTypes", ["audit"], ["api", "audit"]), [
            { kind: "members", path: "inputs.enabledClusterLogTypes", added: ["api"], removed: [], before: ["audit"], after: ["api", "audit"] },
        ]);
    });

    it("matches lists of objects by their key, so reordering changes nothing and one changed item names itself", () => {
        fc.assert(
            fc.property(named, fc.nat(), (items, seed) => {
                const shuffled = items.slice().sort((a, b) => ((a.name.charCodeAt(0) * 31 + seed) % 7) - ((b.name.charCodeAt(0) * 31 + seed) % 7));
                assert.deepEqual(compare("env", items, shuffled), []);
                if (items.length === 0) {
                    return true;
                }
                const changed = shuffled.map((item) => (item.name === items[0].name ? { ...item, value: "changed" } : item));
                const differences = compare("env", items, changed);
                assert.ok(differences.every((d) => d.path === `env[name=${items[0].name}].value`), JSON.stringify(differences));
                return true;
            }),
        );
    });

    it("takes the first identity key that names every item once on each side", () => {
        assert.equal(identityKeyOf([{ name: "a", port: 80 }], [{ name: "a", port: 81 }]), "name");
        // The same volume mounted twice: its name repeats, its mount path does not.
        const mounts = [{ name: "tmp", mountPath: "/tmp" }, { name: "tmp", mountPath: "/var/tmp" }];
        assert.equal(identityKeyOf(mounts, mounts), "mountPath");
        assert.equal(identityKeyOf([{ cidr: "0.0.0.0/0" }], [{ cidr: "10.0.0.0/8" }]), undefined);
    });

    it("falls back to positions for lists of objects without a key", () => {
        assert.deepEqual(
            compare("egress", [{ to: "a" }, { to: "b" }], [{ to: "a" }, { to: "c" }]).map((d) => d.path),
            ["egress[1].to"],
        );
    });

    it("opens JSON held in strings and compares URNs without their stack", () => {
        assert.deepEqual(
            compare("policy", JSON.stringify({ Statement: [{ Sid: "a", Action: ["s3:Get"] }] }), JSON.stringify({ Statement: [{ Sid: "a", Action: ["s3:Get", "s3:Put"] }] })).map(
                (d) => [d.path, d.kind],
            ),
            [["policy.Statement[0].Action", "members"]],
        );
        assert.deepEqual(compare("parent", "urn:pulumi:dev::p::t::n", "urn:pulumi:production::p::t::n"), []);
    });

    it("keeps a secret whole: it differs or it does not", () => {
        const [change] = compare("password", { "@secret": "a" }, { "@secret": "b" });
        assert.deepEqual(change, { kind: "value", path: "password", before: { "@secret": "a" }, after: { "@secret": "b" } });
    });
});
