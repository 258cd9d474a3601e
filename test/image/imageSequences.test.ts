import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stagingFolder } from "../../components/image/stagedContext";
import { diffRenders } from "../../tools/engine/diff";
import type { FakeAccountOptions } from "../../tools/engine/fakeAccount";
import type { Rendered } from "../../tools/engine/model";
import { RenderQuery } from "../../tools/engine/query";
import { renderStack } from "../../tools/engine/render";
import { reveal } from "../../tools/engine/wire";
import { fakeImageDigest } from "../../tools/engine/outputs/images";
import { projectDir, render } from "../harness";
import { pinned } from "../services/bluegreenFixtures";
import { neverExpires, renderedRules } from "./ecrLifecycle";
import { providerContextDigest } from "./providerDigest";

// Sequences of `pulumi up` of the image pipeline, rendered: what the registry holds between them
// is what the updates before pushed (the fake account's `registry`).

const fixtureDir = path.join(__dirname, "..", "fixtures", "images");
const apiSource = path.join(projectDir, "services", "api");
const repository = "platform-dev/api";
const imageType = "docker:index/image:Image";

/** Every change of a diff, one line each. */
const changes = (base: Rendered, head: Rendered) => {
    const diff = diffRenders(base, head);
    return [
        ...diff.added.map((r) => `+ ${r.type} ${r.name}`),
        ...diff.removed.map((r) => `- ${r.type} ${r.name}`),
        ...diff.changed.flatMap((c) => c.fields.map((f) => `~ ${c.type} ${c.name} ${f.path}`)),
    ];
};

/** A checkout of the project's example service in a folder of its own, its modes as `umask` leaves them. */
function checkout(umask: number): string {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "image-sequence-"));
    const source = path.join(root, "services", "api");
    fs.cpSync(apiSource, source, { recursive: true, filter: (from) => !from.includes(`${path.sep}node_modules`) });
    for (const item of fs.readdirSync(source, { withFileTypes: true, recursive: true })) {
        const full = path.join(item.parentPath, item.name);
        const executable = item.isDirectory() || (fs.statSync(full).mode & 0o100) !== 0;
        fs.chmodSync(full, (executable ? 0o777 : 0o666) & ~umask);
    }
    return root;
}

async function up(root: string, registry: Record<string, string[]>, stack = "dev"): Promise<{ rendered: Rendered; tag: string; ref: string; image: Record<string, any> }> {
    const account: FakeAccountOptions = { registry };
    const rendered = await renderStack({ projectDir: fixtureDir, stack, overrides: { "fixture:sourceRoot": root }, account });
    const outputs = reveal(rendered.outputs) as Record<string, Record<string, string>>;
    const image = reveal(new RenderQuery(rendered).one(imageType).inputs) as Record<string, any>;
    return { rendered, tag: outputs.tags.api, ref: outputs.refs.api, image };
}

describe("image pipeline sequences: what a second `up` and a revert push", function () {
    this.timeout(120_000);
    const roots: string[] = [];
    afterEach(() => roots.splice(0).forEach((root) => fs.rmSync(root, { recursive: true, force: true })));

    it("a second `up` after the first pushed plans nothing: the build that pushed stays, the Deployments keep their digest", async () => {
        const root = checkout(0o022);
        roots.push(root);
        const first = await up(root, {});
        assert.equal(first.image.skipPush, false, "a tag ECR does not hold is pushed");
        const second = await up(root, { [repository]: [first.tag] });
        assert.equal(second.image.skipPush, true, "this update would not push it again…");
        assert.deepEqual(first.rendered.resources.find((r) => r.type === imageType)?.options.ignoreChanges, ["build.cacheFrom", "skipPush"]);
        assert.deepEqual(changes(first.rendered, second.rendered), [], "…and the build already in the state keeps its inputs: nothing to update");
        assert.equal(second.ref, first.ref, "the digest ECR holds is the one the push reported");
    });

    it("a second `up` from another machine (umask 0002, another folder) plans nothing, and the provider sees the same context", async () => {
        const ci = checkout(0o022);
        const desktop = checkout(0o002);
        roots.push(ci, desktop);
        const first = await up(ci, {});
        const second = await up(desktop, { [repository]: [first.tag] });
        assert.deepEqual(changes(first.rendered, second.rendered), []);
        assert.equal(second.image.build.context, `${stagingFolder}/${first.tag}`);
        assert.equal(
            providerContextDigest(path.join(desktop, second.image.build.context)),
            providerContextDigest(path.join(ci, first.image.build.context)),
            "the provider's Check computes the same build.contextDigest, so no update and no second push",
        );
    });

    it("a revert to a source whose tag ECR holds pushes nothing and deploys the digest ECR holds; the `up` after it plans nothing", async () => {
        const root = checkout(0o022);
        roots.push(root);
        const a = await up(root, {});
        const main = path.join(root, "services", "api", "src", "main.ts");
        const original = fs.readFileSync(main);
        fs.appendFileSync(main, "\n// change B\n");
        const b = await up(root, { [repository]: [a.tag] });
        assert.notEqual(b.tag, a.tag);
        assert.equal(b.image.skipPush, false, "B is new: built and pushed");
        fs.writeFileSync(main, original);
        const reverted = await up(root, { [repository]: [a.tag, b.tag] });
        assert.equal(reverted.tag, a.tag);
        assert.equal(reverted.image.skipPush, true, "src-A is in ECR already: the build is not pushed (ECR would refuse it)");
        assert.equal(reverted.ref, a.ref, "the Deployments run the image the first push made, by its digest");
        // Nothing else moves but the lifecycle policy's kept build tag (B → A); the Deployments' digest is A's again.
        assert.deepEqual(changes(b.rendered, reverted.rendered), [
            `+ ${imageType} api-build-${a.tag}`,
            `- ${imageType} api-build-${b.tag}`,
            "~ aws:ecr/lifecyclePolicy:LifecyclePolicy api-lifecycle inputs.policy.rules[1].description",
            "~ aws:ecr/lifecyclePolicy:LifecyclePolicy api-lifecycle inputs.policy.rules[1].selection.tagPatternList",
        ]);
        const again = await up(root, { [repository]: [a.tag, b.tag] });
        assert.deepEqual(changes(reverted.rendered, again.rendered), []);
    });

    it("production: the live color, the one a rollback returns to and this update's build never expire, a color pinned by digest through its image's tags", async () => {
        const repo = "platform-production/api";
        const registry = { [repo]: ["src-0000000000000001", "src-0000000000000002", "v7"] };
        const q = await render(
            "production",
            pinned("green", { version: "v7", number: 2 }, { version: fakeImageDigest(repo, "src-0000000000000002"), number: 3 }, { previous: "blue" }),
            { registry },
        );
        const rules = renderedRules(q);
        for (const tag of ["v7", "src-0000000000000002"]) {
            assert.ok(neverExpires(rules, tag), `${tag} is kept`);
        }
        assert.ok(!neverExpires(rules, "src-0000000000000001"), "an image no color runs can expire");
        const buildTag = String(q.one(imageType).inputs.imageName).split(":").pop() as string;
        assert.ok(neverExpires(rules, buildTag), "this update's build is kept");
    });

    it("removing a service from production leaves its repository, images and key in the account; in dev they go", async () => {
        for (const [stack, retained] of [
            ["production", true],
            ["dev", false],
        ] as const) {
            const withApi = await renderStack({ projectDir: fixtureDir, stack });
            const proxy = { name: "proxy", image: `public.ecr.aws/nginx/nginx:1.27.3@sha256:${"1".repeat(64)}`, strategy: "rolling", ingress: { enabled: false } };
            const withoutApi = await renderStack({ projectDir: fixtureDir, stack, overrides: { "platform:services": [proxy] } });
            const removed = diffRenders(withApi, withoutApi).removed.filter((r) => r.type === "aws:ecr/repository:Repository" || r.type === "aws:kms/key:Key");
            assert.ok(removed.some((r) => r.type === "aws:ecr/repository:Repository"), `${stack}: the repository leaves the stack`);
            // The engine reads retainOnDelete from the state the last `up` wrote, so it must be there before the removal.
            for (const resource of removed) {
                assert.equal(resource.options.retainOnDelete === true, retained, `${stack} ${resource.type}`);
            }
        }
    });
});
