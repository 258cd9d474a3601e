import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { sourceTag } from "../../components/image/contentTag";
import { sourceProblems } from "../../components/image/sourceFolders";
import type { RenderedResource } from "../../tools/engine/model";
import { RenderQuery } from "../../tools/engine/query";
import { RenderError, renderStack } from "../../tools/engine/render";
import { isSecret, reveal } from "../../tools/engine/wire";
import { checkRender } from "../../tools/policyCheck";
import { configProblems, projectDir } from "../harness";

const fixtureDir = path.join(__dirname, "..", "fixtures", "images");
const apiSource = path.join(projectDir, "services", "api");
const types = {
    repository: "aws:ecr/repository:Repository",
    lifecycle: "aws:ecr/lifecyclePolicy:LifecyclePolicy",
    key: "aws:kms/key:Key",
    image: "docker:index/image:Image",
    component: "platform:images:ServiceImage",
};

const renders = new Map<string, Promise<RenderQuery>>();
function renderImages(stack: string, overrides: Record<string, unknown> = {}): Promise<RenderQuery> {
    const key = JSON.stringify([stack, overrides]);
    if (!renders.has(key)) {
        renders.set(key, renderStack({ projectDir: fixtureDir, stack, overrides }).then((rendered) => new RenderQuery(rendered)));
    }
    return renders.get(key) as Promise<RenderQuery>;
}

const inputs = (resource: RenderedResource) => reveal(resource.inputs) as Record<string, any>;
const outputs = (render: RenderQuery) => reveal(render.outputs) as Record<string, Record<string, string>>;

describe("ServiceImage: one ECR repository and one build per service with a source", () => {
    for (const stack of ["dev", "production"]) {
        it(`${stack}: the repository keeps every tag pointing at one image forever and scans each push`, async () => {
            const repository = inputs((await renderImages(stack)).one(types.repository));
            assert.equal(repository.imageTagMutability, "IMMUTABLE");
            assert.deepEqual(repository.imageScanningConfiguration, { scanOnPush: true });
            assert.equal(repository.name, `platform-${stack}/api`);
        });

        it(`${stack}: untagged images expire and only the newest tagged ones are kept, on the repository's own policy`, async () => {
            const render = await renderImages(stack, { "platform:images.keepTaggedImages": 7 });
            const repository = render.one(types.repository);
            const policy = render.one(types.lifecycle);
            assert.deepEqual(policy.propertyDependencies.repository, [repository.urn], "the policy takes repository.name");
            const rules = JSON.parse(inputs(policy).policy).rules as { selection: Record<string, unknown> }[];
            assert.ok(rules.some((r) => r.selection.tagStatus === "untagged"));
            assert.ok(rules.some((r) => r.selection.tagStatus === "tagged" && r.selection.countNumber === 7));
        });
    }

    it("production encrypts images with a customer-managed KMS key that rotates, and never force-deletes", async () => {
        const render = await renderImages("production");
        const key = render.one(types.key);
        const repository = render.one(types.repository);
        assert.equal(inputs(key).enableKeyRotation, true);
        assert.deepEqual(inputs(repository).encryptionConfigurations, [{ encryptionType: "KMS", kmsKey: `arn:aws:kms:eu-west-1:123456789012:key/${key.name}-id` }]);
        assert.ok(render.waitsFor(repository, key));
        assert.equal(inputs(repository).forceDelete, false, "pulumi destroy cannot delete a production repository that holds images");
        // Removing the service leaves both in the account instead of failing every later up on RepositoryNotEmptyException.
        assert.equal(repository.options.retainOnDelete, true);
        assert.equal(key.options.retainOnDelete, true, "the images stay readable");
    });

    it("dev encrypts with ECR's AES-256 and can be destroyed with its images", async () => {
        const render = await renderImages("dev");
        assert.equal(render.ofType(types.key).length, 0, "no key to pay for in dev");
        assert.deepEqual(inputs(render.one(types.repository)).encryptionConfigurations, [{ encryptionType: "AES256" }]);
        assert.equal(inputs(render.one(types.repository)).forceDelete, true);
        assert.notEqual(render.one(types.repository).options.retainOnDelete, true, "removing a dev service deletes its repository and images");
    });

    it("production repositories pass the policy pack's ECR rules", async () => {
        const outcomes = checkRender((await renderImages("production")).rendered, "production").filter((o) => o.rule.name.startsWith("ecr-"));
        assert.ok(outcomes.length >= 4);
        for (const outcome of outcomes) {
            assert.deepEqual(outcome.violations, [], outcome.rule.name);
            assert.ok(outcome.checked > 0, `${outcome.rule.name} saw the repository`);
        }
    });

    it("builds for linux/amd64 unless the stack names another platform", async () => {
        const gravitonNodes = { name: "graviton", instanceTypes: ["t4g.large"], capacityType: "SPOT", minSize: 1, desiredSize: 1, maxSize: 2 };
        assert.equal(inputs((await renderImages("dev")).one(types.image)).build.platform, "linux/amd64");
        const arm = await renderImages("dev", { "platform:images.platform": "linux/arm64", "platform:cluster": { nodeGroups: [gravitonNodes] } });
        assert.equal(inputs(arm.one(types.image)).build.platform, "linux/arm64");
        assert.notEqual(outputs(arm).tags.api, outputs(await renderImages("dev")).tags.api, "another platform is another image, so another tag");
    });

    it("tags the build with the content hash of the service's folder and pushes it to the service's repository", async () => {
        const render = await renderImages("dev");
        const tag = outputs(render).tags.api;
        assert.equal(tag, sourceTag(apiSource, { platform: "linux/amd64" }));
        const image = render.one(types.image);
        const repositoryUrl = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/platform-dev/api";
        assert.equal(inputs(image).imageName, `${repositoryUrl}:${tag}`);
        assert.equal(inputs(image).build.context, `.build/images/${tag}`, "built from the staged copy of the folder, relative to the project");
        assert.ok(inputs(image).build.cacheFrom.images.every((ref: string) => ref.startsWith(`${repositoryUrl}:`)), "the cache comes from the repository");
        assert.equal(inputs(image).build.args.BUILDKIT_INLINE_CACHE, "1");
    });

    it("seeds a new build's cache from the versions it is given, without rebuilding when they change", async () => {
        const render = await renderImages("dev", { "fixture:cacheFromVersions": ["src-00000000000000aa"] });
        const image = render.one(types.image);
        assert.ok(inputs(image).build.cacheFrom.images.some((ref: string) => ref.endsWith(":src-00000000000000aa")));
        assert.deepEqual(image.options.ignoreChanges, ["build.cacheFrom", "skipPush"]);
    });

    it("pushes with a registry login from aws.ecr.getAuthorizationToken, the password kept secret", async () => {
        const registry = (await renderImages("dev")).one(types.image).inputs.registry as Record<string, unknown>;
        assert.equal(registry.username, "AWS");
        assert.ok(isSecret(registry.password));
        assert.deepEqual(reveal(registry.password), "render-registry-password");
    });

    it("hands Deployments a digest reference into the service's repository, never a tag", async () => {
        for (const stack of ["dev", "production"]) {
            const ref = outputs(await renderImages(stack)).refs.api;
            assert.match(ref, new RegExp(`^123456789012\\.dkr\\.ecr\\.eu-west-1\\.amazonaws\\.com/platform-${stack}/api@sha256:[0-9a-f]{64}$`));
        }
    });

    it("resolves an earlier version to the digest ECR holds for that tag", async () => {
        const render = await renderImages("dev", { "fixture:versions": { api: "src-0123456789abcdef" } });
        const { refs, versions } = outputs(render);
        assert.match(versions.api, /^123456789012\.dkr\.ecr\.eu-west-1\.amazonaws\.com\/platform-dev\/api@sha256:[0-9a-f]{64}$/);
        assert.notEqual(versions.api, refs.api);
    });

    it("a changed source file makes a new tag and a new build; an edit .dockerignore keeps out does not", async function () {
        this.timeout(120_000);
        const root = fs.mkdtempSync(path.join(os.tmpdir(), "image-source-"));
        try {
            fs.cpSync(apiSource, path.join(root, "services", "api"), { recursive: true, filter: (from) => !from.includes(`${path.sep}node_modules`) });
            const tagOf = async () => outputs(new RenderQuery(await renderStack({ projectDir: fixtureDir, stack: "dev", overrides: { "fixture:sourceRoot": root } }))).tags.api;
            const original = await tagOf();
            fs.appendFileSync(path.join(root, "services", "api", "test", "config.test.ts"), "\n// an edit to a test\n");
            assert.equal(await tagOf(), original, "tests are not in the image, so the tag stays");
            fs.appendFileSync(path.join(root, "services", "api", "src", "main.ts"), "\n// an edit to the service\n");
            const changed = await tagOf();
            assert.notEqual(changed, original);
            const render = new RenderQuery(await renderStack({ projectDir: fixtureDir, stack: "dev", overrides: { "fixture:sourceRoot": root } }));
            assert.equal(render.one(types.image).name, `api-build-${changed}`, "each content tag is its own build, pushed once");
        } finally {
            fs.rmSync(root, { recursive: true, force: true });
        }
    });

    it("stops with a message naming the service when its source folder has no Dockerfile", async () => {
        const empty = fs.mkdtempSync(path.join(os.tmpdir(), "image-source-"));
        try {
            await assert.rejects(
                renderStack({ projectDir: fixtureDir, stack: "dev", overrides: { "fixture:sourceRoot": empty } }),
                // Refused with the rest of the config, before anything is registered.
                (error: Error) => error instanceof RenderError && /services\[0\]\.source: "services\/api" has no Dockerfile/.test(error.message) && error.registered.length <= 1,
            );
        } finally {
            fs.rmSync(empty, { recursive: true, force: true });
        }
    });

    it("refuses a source whose build digest would differ between checkouts or grow with each up", () => {
        const project = fs.mkdtempSync(path.join(os.tmpdir(), "image-project-"));
        const sources = (...source: string[]) => source.map((s) => ({ source: s }) as Parameters<typeof sourceProblems>[0][number]);
        try {
            fs.mkdirSync(path.join(project, "svc"));
            fs.writeFileSync(path.join(project, "svc", "Dockerfile"), "FROM scratch\n");
            fs.writeFileSync(path.join(project, "Dockerfile"), "FROM scratch\n");
            assert.deepEqual(sourceProblems(sources("svc"), project), []);
            fs.symlinkSync("Dockerfile", path.join(project, "svc", "Containerfile"));
            assert.deepEqual(sourceProblems(sources("svc"), project), [
                'services[0].source: "svc" has symlinks (Containerfile), whose build digest differs between checkouts; replace each with the file it points to',
            ]);
            fs.rmSync(path.join(project, "svc", "Containerfile"));
            assert.match(sourceProblems(sources("svc", "."), project)[0], /^services\[1\]\.source: "\." holds \.build\/images, where builds are staged/);
        } finally {
            fs.rmSync(project, { recursive: true, force: true });
        }
    });

    it("every repository, key and lookup goes through the stack's AWS provider", async () => {
        const render = await renderImages("production", { "fixture:versions": { api: "src-0123456789abcdef" } });
        const provider = render.one("pulumi:providers:aws");
        for (const resource of render.resources.filter((r) => r.type.startsWith("aws:"))) {
            assert.equal(resource.provider, provider.urn, resource.name);
        }
        for (const resource of render.resources.filter((r) => r.type !== types.component && render.ancestors(r).some((a) => a.type === types.component))) {
            assert.equal(render.get(resource.parent as string).type, types.component, `${resource.name} is a child of its ServiceImage`);
        }
    });
});

describe("ServiceImage: a service that runs a prebuilt image", () => {
    it("gets no repository and no build, and runs the image as configured", async () => {
        const render = await renderImages("dev");
        const proxy = render.one(types.component, "proxy");
        assert.deepEqual(render.children(proxy), []);
        assert.deepEqual(
            render.ofType(types.repository).map((r) => inputs(r).name),
            ["platform-dev/api"],
        );
        assert.equal(outputs(render).refs.proxy, "public.ecr.aws/nginx/nginx:1.27.3");
        assert.equal(outputs(render).tags.proxy, "1.27.3");
    });

    it("pinned by digest (as production policy requires), runs that digest", async () => {
        const { refs, tags } = outputs(await renderImages("production", { "fixture:versions": { proxy: `sha256:${"1".repeat(64)}` } }));
        assert.match(refs.proxy, /@sha256:1{64}$/);
        assert.equal(tags.proxy, "1.27.3");
    });

    it("asked for a version it is not, stops the program with a message naming the service", async () => {
        const failure = await renderStack({ projectDir: fixtureDir, stack: "dev", overrides: { "fixture:versions": { proxy: "1.28.0" } } }).then(
            () => assert.fail("the render went through"),
            (error: unknown) => error,
        );
        assert.ok(failure instanceof RenderError);
        assert.match(failure.message, /service proxy: version "1\.28\.0" is neither the tag nor the digest of its prebuilt image public\.ecr\.aws\/nginx\/nginx:1\.27\.3/);
    });
});

describe("images config", () => {
    it("rejects a platform EKS nodes do not run and a keep count out of range, naming key, value and what is allowed", async () => {
        const problems = await configProblems("dev", { "platform:images": { platform: "linux/386", keepTaggedImages: 0 } });
        assert.deepEqual(problems.sort(), [
            'images.keepTaggedImages: 0 is below the minimum 1',
            'images.platform: "linux/386" is not one of "linux/amd64", "linux/arm64"',
        ]);
    });
});
