import { strict as assert } from "assert";
import fc from "fast-check";
import { diffRenders } from "../tools/engine/diff";
import { formatDiff } from "../tools/engine/diffText";
import { changeLines, endWidth, inlineWidth } from "../tools/engine/valueText";
import { render } from "./harness";
import { defaultPodConfig } from "./services/bluegreenFixtures";

/** A long single-line string and a copy of it with some stretches replaced. */
const longAndEdited = fc
    .record({
        text: fc.string({ minLength: 500, maxLength: 2000, unit: fc.constantFrom("a", "b", "c", "/", ":", "-", "0", "1") }),
        edits: fc.array(fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), insert: fc.string({ minLength: 1, maxLength: 12, unit: fc.constantFrom("X", "Y", "Z") }) }), { minLength: 1, maxLength: 4 }),
    })
    .map(({ text, edits }) => {
        let edited = text;
        for (const { at, insert } of edits) {
            const i = Math.floor(at * edited.length);
            edited = edited.slice(0, i) + insert + edited.slice(i + insert.length);
        }
        return { before: text, after: edited, inserted: edits.map((e) => e.insert) };
    });

/** A track's version in the `serviceVersions` output: the track's value, or its `version`. */
function trackVersion(output: unknown, service: string, track: string): string {
    const entry = (output as Record<string, Record<string, unknown>>)[service][track];
    return typeof entry === "string" ? entry : String((entry as { version: string }).version);
}

describe("how a changed value reads", () => {
    it("shows short values whole on one line", () => {
        assert.deepEqual(changeLines("audit", undefined), { inline: '"audit" → (unset)', lines: [] });
        assert.deepEqual(changeLines({ "@secret": "a" }, { "@secret": "b" }), { inline: "[secret] → [secret]", lines: [] });
    });

    it("never cuts a long string where it changed, and keeps both its ends and quotes", () => {
        fc.assert(
            fc.property(longAndEdited, ({ before, after, inserted }) => {
                fc.pre(before !== after);
                const { lines } = changeLines(before, after);
                assert.equal(lines.length, 2);
                const [minus, plus] = lines;
                assert.ok(minus.startsWith(`- "${before.slice(0, endWidth)}`) && minus.endsWith(`${before.slice(-endWidth)}"`), minus);
                assert.ok(plus.startsWith(`+ "${after.slice(0, endWidth)}`) && plus.endsWith(`${after.slice(-endWidth)}"`), plus);
                // Every inserted stretch still in `after` shows on the + line (elision never swallows it).
                for (const piece of inserted.filter((p) => after.includes(p) && !before.includes(p))) {
                    assert.ok(plus.includes(piece), `${piece} is missing from ${plus}`);
                }
                return true;
            }),
        );
    });

    it("shows a multi-line string as a patch of the lines that changed", () => {
        const before = Array.from({ length: 30 }, (_, i) => `line ${i}`).join("\n");
        const after = before.replace("line 17", "line seventeen");
        const { lines } = changeLines(before, after);
        assert.ok(lines.includes("-line 17") && lines.includes("+line seventeen"), lines.join("\n"));
        assert.ok(!lines.includes(" line 3"), "far-away lines are left out");
    });

    it("shows a long value that appears or disappears whole", () => {
        const policy = "x".repeat(inlineWidth * 5);
        assert.deepEqual(changeLines(undefined, policy).lines, ["- (unset)", `+ "${policy}"`]);
    });
});

describe("the offline diff as a reviewer reads it", () => {
    it("names the image tag beside the digest it changes to, and says the release in words first", async () => {
        const before = await render("production");
        const after = await render("production", { "platform:services[0].release.colors.green": { number: 1, version: "v2.4.0", config: defaultPodConfig("production") } });
        const text = formatDiff(diffRenders(before.rendered, after.rendered), "release");
        const built = trackVersion(before.outputs.serviceVersions, "api", "blue");
        assert.match(text, new RegExp(`^Releases:\\n  api: green \\(idle: preview only\\) ${built} → v2\\.4\\.0; traffic stays on blue \\(${built}\\)$`, "m"));
        assert.match(text, new RegExp(`spec\\.template\\.spec\\.containers\\[name=api\\]\\.image: tag ${built} → v2\\.4\\.0\\n {8}- "\\S+@sha256:[0-9a-f]{64}"\\n {8}\\+ "\\S+@sha256:[0-9a-f]{64}"`));
        assert.ok(text.indexOf("Releases:") < text.indexOf("~ update"), "the summary comes first");
    });

    it("reads the tag a prebuilt image names beside its digest", async () => {
        const base = (await render("dev")).rendered;
        const head = structuredClone(base);
        const deployment = head.resources.find((r) => r.type === "kubernetes:apps/v1:Deployment") as any;
        const digest = `sha256:${"e".repeat(64)}`;
        deployment.inputs.spec.template.spec.containers[0].image = `public.ecr.aws/nginx/nginx:1.27.3@${digest}`;
        const text = formatDiff(diffRenders(base, head), "prebuilt");
        assert.match(text, /image: tag src-[0-9a-f]+ → 1\.27\.3\n/);
    });

    it("shows a list of log types by what it gains, not by position", async () => {
        const before = await render("dev");
        const after = await render("dev", { "platform:cluster.logTypes": ["api", "audit"] });
        const text = formatDiff(diffRenders(before.rendered, after.rendered), "logs");
        assert.match(text, /^ {6}enabledClusterLogTypes: \+ "api"$/m);
        assert.doesNotMatch(text, /enabledClusterLogTypes\[/);
        assert.equal(diffRenders(after.rendered, (await render("dev", { "platform:cluster.logTypes": ["audit", "api"] })).rendered).changed.length, 0, "a new order of a set is no change");
    });

    it("flags a replacement on its resource line with the field that forces it", async () => {
        const base = (await render("dev")).rendered;
        const head = structuredClone(base);
        const deployment = head.resources.find((r) => r.type === "kubernetes:apps/v1:Deployment");
        assert.ok(deployment);
        (deployment.inputs as any).spec.selector.matchLabels.extra = "x";
        const text = formatDiff(diffRenders(base, head), "replace");
        assert.match(text, /^\+-replace {2}kubernetes:apps\/v1:Deployment {2}\S+ {2}\(replaced: spec\.selector\.matchLabels\.extra cannot change in place\)$/m);
        assert.match(text, /spec\.selector\.matchLabels\.extra: \(unset\) → "x" {2}\(forces replacement\)/);
    });
});
