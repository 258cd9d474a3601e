import { strict as assert } from "assert";
import { diffRenders } from "../../tools/engine/diff";
import { render } from "../harness";

const released = { "platform:services[0].release.versions": { blue: "src-aaaaaaaaaaaaaaaa", green: "src-bbbbbbbbbbbbbbbb" } };

/** The production stack with both colors pinned, blue live, then with `extra` laid over. */
async function production(extra: Record<string, unknown> = {}) {
    return render("production", { ...released, ...extra });
}

const selectorOf = (q: Awaited<ReturnType<typeof production>>, name: string) => (q.objects("Service", name)[0] as any).spec.selector;

describe("blue/green releases", () => {
    it("runs two complete colors, each with its own Deployment, HPA and PDB", async () => {
        const q = await production();
        for (const kind of ["Deployment", "HorizontalPodAutoscaler", "PodDisruptionBudget"]) {
            assert.deepEqual(q.objects(kind).map((o) => o.metadata?.name).sort(), ["api-blue", "api-green"], kind);
        }
    });

    it("keeps the idle color at full size in production, so rollback starts no pod", async () => {
        const q = await production();
        const [blue, green] = ["api-blue", "api-green"].map((n) => (q.objects("HorizontalPodAutoscaler", n)[0] as any).spec.minReplicas);
        assert.equal(green, blue);
    });

    it("points the live Service at the active color only, and the preview Service at the other", async () => {
        const q = await production();
        assert.equal(selectorOf(q, "api")["platform.io/color"], "blue");
        assert.equal(selectorOf(q, "api-preview")["platform.io/color"], "green");
    });

    it("never lets the live Service select a color before its Deployment is ready", async () => {
        for (const active of ["blue", "green"]) {
            const q = await production({ "platform:services[0].release.active": active });
            const live = q.one("kubernetes:core/v1:Service", "api");
            assert.ok(q.waitsFor(live, q.one("kubernetes:apps/v1:Deployment", `api-${active}`)), active);
        }
    });

    it("runs each color by the digest of its version", async () => {
        const q = await production();
        for (const name of ["api-blue", "api-green"]) {
            const image = (q.objects("Deployment", name)[0] as any).spec.template.spec.containers[0].image;
            assert.match(image, /@sha256:[0-9a-f]{64}$/);
        }
    });

    it("runs a color released by digest on exactly that digest", async () => {
        const digest = `sha256:${"d".repeat(64)}`;
        const q = await production({ "platform:services[0].release.versions.green": digest });
        const image = (q.objects("Deployment", "api-green")[0] as any).spec.template.spec.containers[0].image;
        assert.ok(image.endsWith(`@${digest}`), image);
    });

    it("promotes by swapping the live and preview Services' selectors and nothing else", async () => {
        const before = await production();
        const after = await production({ "platform:services[0].release.active": "green" });
        const diff = diffRenders(before.rendered, after.rendered);
        assert.deepEqual([diff.added, diff.removed], [[], []]);
        const fields = diff.changed.flatMap((c) => c.fields.map((f) => `${c.name} ${f.path}`));
        // The selectors swap; the live Service now also waits for green's Deployment (engine-side, not a cloud change).
        assert.deepEqual(fields.filter((f) => f.includes(" inputs.")), ["api inputs.spec.selector.platform.io/color", "api-preview inputs.spec.selector.platform.io/color"]);
        assert.deepEqual(fields.filter((f) => !f.includes(" inputs.")), ["api options.dependsOn", "api-preview options.dependsOn"]);
        assert.ok(diff.changed.every((c) => c.kind === "update"), "nothing is replaced");
    });

    it("releases a version to the idle color's image only, replacing nothing", async () => {
        const before = await production();
        const after = await production({ "platform:services[0].release.versions.green": "src-cccccccccccccccc" });
        const diff = diffRenders(before.rendered, after.rendered);
        assert.deepEqual([diff.added, diff.removed], [[], []]);
        assert.deepEqual(
            diff.changed.flatMap((c) => c.fields.map((f) => `${c.name} ${f.path}`)),
            ["api-green inputs.spec.template.spec.containers[name=api].image"],
        );
        assert.ok(diff.changed.every((c) => c.kind === "update"));
    });

    it("leaves the live color on its digest when the release arrives with a new build", async () => {
        // Pin both colors to this build's tag, then change the build (a new platform is a new content tag).
        const built = ((await render("production")).outputs.serviceVersions as Record<string, Record<string, string>>).api.blue;
        const pinnedToBuild = { "platform:services[0].release.versions": { blue: built, green: built } };
        const before = await render("production", pinnedToBuild);
        const graviton = { "platform:images.platform": "linux/arm64", "platform:cluster.nodeGroups[0].instanceTypes": ["m7g.large", "m6g.large"] };
        const after = await render("production", { ...pinnedToBuild, ...graviton });
        const imageOf = (q: typeof before, name: string) => (q.objects("Deployment", name)[0] as any).spec.template.spec.containers[0].image;
        assert.equal(imageOf(after, "api-blue"), imageOf(before, "api-blue"));
        assert.equal(imageOf(after, "api-green"), imageOf(before, "api-green"));
    });

    it("releases a rolling service by changing its Deployment's image only", async () => {
        const before = await render("dev", { "platform:services[0].release.version": "src-aaaaaaaaaaaaaaaa" });
        const after = await render("dev", { "platform:services[0].release.version": "src-bbbbbbbbbbbbbbbb" });
        const diff = diffRenders(before.rendered, after.rendered);
        assert.deepEqual(
            diff.changed.flatMap((c) => c.fields.map((f) => `${c.name} ${f.path}`)),
            ["api inputs.spec.template.spec.containers[name=api].image"],
        );
        assert.ok(diff.changed.every((c) => c.kind === "update"));
    });
});
