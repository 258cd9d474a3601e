import { strict as assert } from "assert";
import { fakeImageDigest } from "../../tools/engine/outputs/images";
import { diffRenders } from "../../tools/engine/diff";
import { render } from "../harness";
import { destination, listenerRules, route, ruleLimitProblems } from "./albController";
import { containerOf, defaultPodConfig, liveColor, pinned } from "./bluegreenFixtures";
import { derivedAnnotationKeys, derivedObjectNames } from "../../components/service/names";
import { albGroupName } from "../../components/naming";
import { neverExpires, renderedRules } from "../image/ecrLifecycle";

const a = { version: "src-aaaaaaaaaaaaaaaa", number: 1 };
const b = { version: "src-bbbbbbbbbbbbbbbb", number: 2 };

/** Production with both colors pinned, `active` live, and `extra` laid over. */
const production = (active: "blue" | "green" = "blue", extra: Record<string, unknown> = {}) => render("production", { ...pinned(active, a, b), ...extra });

const changedFields = (diff: ReturnType<typeof diffRenders>) => diff.changed.flatMap((c) => c.fields.map((f) => `${c.name} ${f.path}`));

describe("blue/green releases", () => {
    it("runs two complete colors, each with its own Deployment, HPA, PDB and Service", async () => {
        const q = await production();
        for (const kind of ["Deployment", "HorizontalPodAutoscaler", "PodDisruptionBudget", "Service"]) {
            assert.deepEqual(q.objects(kind).map((o) => o.metadata?.name).sort(), ["api-blue", "api-green"], kind);
        }
    });

    it("forwards every plain request to the live color's target group by weight: 100 live, 0 idle", async () => {
        for (const active of ["blue", "green"] as const) {
            assert.equal(liveColor(await production(active)), active);
        }
    });

    it("keeps each color's Service selecting its own color only, whichever is live", async () => {
        for (const active of ["blue", "green"] as const) {
            const q = await production(active);
            for (const color of ["blue", "green"]) {
                assert.deepEqual((q.objects("Service", `api-${color}`)[0] as any).spec.selector, { "app.kubernetes.io/name": "api", "platform.io/color": color });
            }
        }
    });

    it("promotes and rolls back by the Ingress's weights alone: one object, no selector, no Deployment, no target registration", async () => {
        const blue = await production("blue");
        const green = await production("green");
        for (const [before, after] of [
            [blue, green],
            [green, blue],
        ]) {
            const diff = diffRenders(before.rendered, after.rendered);
            assert.deepEqual([diff.added, diff.removed], [[], []]);
            assert.deepEqual(diff.changed.map((c) => `${c.type} ${c.name}`), ["kubernetes:networking.k8s.io/v1:Ingress api"]);
            const fields = changedFields(diff);
            assert.ok(fields.length > 0);
            for (const field of fields) {
                assert.match(field, /^api inputs\.metadata\.annotations\.alb\.ingress\.kubernetes\.io\/actions\.[a-z0-9-]+\.forwardConfig\.targetGroups\[[01]\]\.weight$/);
            }
            assert.ok(diff.changed.every((c) => c.kind === "update"), "nothing is replaced");
        }
    });

    it("keeps every color at the most pods the live one may scale to in production, so no cutover lands on fewer pods", async () => {
        const q = await production();
        const [blue, green] = ["api-blue", "api-green"].map((n) => (q.objects("HorizontalPodAutoscaler", n)[0] as any).spec);
        assert.ok(blue.minReplicas >= green.maxReplicas && green.minReplicas >= blue.maxReplicas, JSON.stringify([blue, green]));
        // Dev keeps the idle color at the floor unless asked: its cutover may need the HPA to catch up.
        const dev = await render("dev", { "platform:services[0].strategy": "blueGreen" });
        const devHpa = (dev.objects("HorizontalPodAutoscaler", "api-green")[0] as any).spec;
        assert.ok(devHpa.minReplicas < devHpa.maxReplicas);
    });

    it("runs each color by the digest of the version its release pinned", async () => {
        const q = await production();
        const repository = String(q.ofType("aws:ecr/repository:Repository")[0].inputs.name);
        for (const [color, pin] of [
            ["blue", a],
            ["green", b],
        ] as const) {
            assert.ok(containerOf(q.objects("Deployment", `api-${color}`)[0]).image.endsWith(`@${fakeImageDigest(repository, pin.version)}`), color);
        }
    });

    it("runs a color released by digest on exactly that digest", async () => {
        const digest = `sha256:${"d".repeat(64)}`;
        const q = await render("production", pinned("blue", a, { version: digest, number: 2 }));
        assert.ok(containerOf(q.objects("Deployment", "api-green")[0]).image.endsWith(`@${digest}`));
    });

    it("releases a version to the idle color's Deployment only, replacing nothing", async () => {
        const before = await production();
        const after = await render("production", pinned("blue", a, { version: "src-cccccccccccccccc", number: 3 }));
        const diff = diffRenders(before.rendered, after.rendered);
        assert.deepEqual([diff.added, diff.removed], [[], []]);
        // Besides the Deployment, the repository's lifecycle policy now keeps the released version.
        assert.deepEqual(changedFields(diff).filter((f) => !f.startsWith("image-api-lifecycle ")), ["api-green inputs.spec.template.spec.containers[name=api].image"]);
        assert.ok(neverExpires(renderedRules(after), "src-cccccccccccccccc"), "ECR never expires a version a color runs");
        assert.ok(diff.changed.every((c) => c.kind === "update"));
    });

    it("puts a release's config on the idle color only, in new immutable objects named by their content", async () => {
        const config = { ...defaultPodConfig("production"), env: { FEATURE: "on" }, secrets: ["API_KEY"] };
        const secrets = { "platform:serviceSecrets": { api: { API_KEY: { secure: "v1:ciphertext" } } } };
        const before = await production("blue", secrets);
        const after = await render("production", { ...pinned("blue", a, { ...b, number: 3, config }), ...secrets });
        const diff = diffRenders(before.rendered, after.rendered);
        assert.deepEqual(diff.removed, []);
        assert.deepEqual(diff.added.map((r) => r.type).sort(), ["kubernetes:core/v1:ConfigMap", "kubernetes:core/v1:Secret"]);
        assert.deepEqual([...new Set(diff.changed.map((c) => c.name))], ["api-green"]);
        const green = after.objects("Deployment", "api-green")[0] as any;
        const configMap = after.objects("ConfigMap", containerOf(green).envFrom[0].configMapRef.name)[0] as any;
        assert.deepEqual([configMap.data.FEATURE, configMap.immutable], ["on", true]);
        assert.ok(green.spec.template.spec.volumes.some((v: any) => diff.added.some((r) => r.type.endsWith("Secret") && (r.inputs.metadata as any).name === v.secret?.secretName)));
    });

    it("leaves pinned colors on their digests when a new build arrives", async () => {
        const before = await production();
        // A new platform is a new content tag; Graviton nodes run it.
        const after = await production("blue", { "platform:images.platform": "linux/arm64", "platform:cluster.nodeGroups[0].instanceTypes": ["m7g.large", "m6g.large"] });
        for (const name of ["api-blue", "api-green"]) {
            assert.equal(containerOf(after.objects("Deployment", name)[0]).image, containerOf(before.objects("Deployment", name)[0]).image);
        }
    });

    it("releases a rolling service by changing its Deployment's image, and the role bootstrap's with it, only", async () => {
        const before = await render("dev", { "platform:services[0].release.version": "src-aaaaaaaaaaaaaaaa" });
        const after = await render("dev", { "platform:services[0].release.version": "src-bbbbbbbbbbbbbbbb" });
        const fields = changedFields(diffRenders(before.rendered, after.rendered));
        // The bootstrap runs the released version, never a build no release reached (components/service/colors.ts, servedVersion).
        assert.deepEqual(fields.filter((f) => !f.startsWith("image-api-lifecycle ")), [
            "api-roles inputs.spec.template.spec.containers[name=bootstrap].image",
            "api inputs.spec.template.spec.containers[name=api].image",
        ]);
        assert.ok(neverExpires(renderedRules(after), "src-bbbbbbbbbbbbbbbb"), "ECR never expires the version the service runs");
    });
});

describe("readiness gates", () => {
    for (const [strategy, stack] of [
        ["rolling", "dev"],
        ["blueGreen", "production"],
    ] as const) {
        it(`creates the Services, then the Ingress, then the Deployments (${strategy}), so every pod gets its target group's readiness gate`, async () => {
            const q = await render(stack);
            const ingress = q.one("kubernetes:networking.k8s.io/v1:Ingress", "api");
            for (const service of q.ofType("kubernetes:core/v1:Service")) {
                assert.ok(q.waitsFor(ingress, service), `the Ingress waits for ${service.name}`);
            }
            const deployments = q.ofType("kubernetes:apps/v1:Deployment");
            assert.equal(deployments.length, strategy === "rolling" ? 1 : 2);
            for (const deployment of deployments) {
                assert.ok(q.waitsFor(deployment, ingress), `${deployment.name} waits for the Ingress`);
            }
        });
    }

    it("labels every workload namespace for the controller's readiness gate webhook", async () => {
        for (const stack of ["dev", "production"]) {
            const namespace = (await render(stack)).objects("Namespace", "api")[0];
            assert.equal(namespace.metadata.labels?.["elbv2.k8s.aws/pod-readiness-gate-inject"], "enabled", stack);
        }
    });

    it("skips the provider's endpoint wait on Services only: Deployments and the Ingress are still awaited", async () => {
        const q = await render("production");
        for (const object of q.manifests().map((m) => m.object)) {
            const skipped = object.metadata.annotations?.["pulumi.com/skipAwait"] === "true";
            assert.equal(skipped, object.kind === "Service", `${object.kind} ${object.metadata.name}`);
        }
    });
});

describe("the preview route to the idle color", () => {
    const preview = { "X-Platform-Preview": "true" };

    it("lets nobody from the internet reach the idle color in production by default: the header gets 403", async () => {
        const q = await production();
        const rules = listenerRules(q.objects("Ingress", "api")[0], q.objects("Service"));
        for (const sourceIp of ["203.0.113.9", "10.0.1.5", "198.51.100.1"]) {
            assert.deepEqual(destination(route(rules, { sourceIp, headers: preview })), { status: "403" }, sourceIp);
        }
    });

    it("sends the header from the configured source addresses to the idle color only; from elsewhere it never reaches the live one", async () => {
        const cidrs = ["198.51.100.0/24", "192.0.2.0/28", "203.0.113.0/26", "100.64.0.0/10"];
        for (const active of ["blue", "green"] as const) {
            const q = await production(active, { "platform:services[0].blueGreen.preview.sourceCidrs": cidrs });
            const rules = listenerRules(q.objects("Ingress", "api")[0], q.objects("Service"));
            const idle = active === "blue" ? "green" : "blue";
            for (const sourceIp of ["198.51.100.77", "192.0.2.3", "203.0.113.5", "100.100.1.1"]) {
                assert.deepEqual(destination(route(rules, { sourceIp, headers: preview })), { [`api-${active}`]: 0, [`api-${idle}`]: 100 }, sourceIp);
            }
            assert.deepEqual(destination(route(rules, { sourceIp: "8.8.8.8", headers: preview })), { status: "403" });
            assert.deepEqual(destination(route(rules, { sourceIp: "198.51.100.77" })), { [`api-${active}`]: 100, [`api-${idle}`]: 0 }, "no header: live");
        }
    });

    it("keeps every rule within the ALB's condition limits, with a host and a non-root path too", async () => {
        const certificateArn = "arn:aws:acm:eu-west-1:123456789012:certificate/0f9b2c1e-1234-4d5e-9abc-0123456789ab";
        const q = await production("blue", {
            "platform:services[0].blueGreen.preview.sourceCidrs": ["198.51.100.0/24", "192.0.2.0/28", "203.0.113.0/26"],
            "platform:services[0].ingress": { host: "api.example.com", path: "/api", certificateArn },
        });
        const rules = listenerRules(q.objects("Ingress", "api")[0], q.objects("Service"));
        assert.deepEqual(rules.flatMap(ruleLimitProblems), []);
        assert.equal(rules.filter((r) => r.conditions.some((c) => c.field === "source-ip")).length, 3, "one CIDR per rule beside host, two path patterns and the header");
    });
});

describe("the Ingress as the load balancer controller reads it", () => {
    const certificateArn = "arn:aws:acm:eu-west-1:123456789012:certificate/0f9b2c1e-1234-4d5e-9abc-0123456789ab";
    const https = { "platform:services[0].ingress": { host: "api.example.com", certificateArn } };

    it("decodes every action and condition annotation against the controller's types, each backend action present", async () => {
        for (const q of [await production(), await production("green", https), await render("dev")]) {
            const [ingress] = q.objects("Ingress", "api");
            const rules = listenerRules(ingress, q.objects("Service"));
            assert.ok(rules.length > 0);
            const used = new Set(rules.map((r) => r.backend));
            const annotated = Object.keys(ingress.metadata.annotations ?? {}).flatMap((key) => /\/(?:actions|conditions)\.(.+)$/.exec(key)?.[1] ?? []);
            assert.deepEqual(annotated.filter((name) => !used.has(name)), [], "no annotation for a backend that does not exist");
        }
    });

    it("with HTTPS: listens on 80 and 443, redirects 80 to 443, and the weighted rules serve 443", async () => {
        const q = await production("blue", https);
        const annotations = q.objects("Ingress", "api")[0].metadata.annotations as Record<string, string>;
        assert.deepEqual(JSON.parse(annotations["alb.ingress.kubernetes.io/listen-ports"]), [{ HTTP: 80 }, { HTTPS: 443 }]);
        assert.equal(annotations["alb.ingress.kubernetes.io/ssl-redirect"], "443");
        assert.equal(annotations["alb.ingress.kubernetes.io/certificate-arn"], certificateArn);
        assert.equal(liveColor(q), "blue");
        // One Ingress per ALB group: ssl-redirect and listen-ports, exclusive or merged across a group, have one source.
        assert.equal(q.objects("Ingress").filter((i) => i.metadata.annotations?.["alb.ingress.kubernetes.io/group.name"] === annotations["alb.ingress.kubernetes.io/group.name"]).length, 1);
    });
});

describe("names a service derives", () => {
    it("are all computed by components/service/names.ts, so validation checks the names the program builds", async () => {
        const q = await production("blue", { "platform:services[0].blueGreen.preview.sourceCidrs": ["198.51.100.0/24", "192.0.2.0/28", "203.0.113.0/26"], "platform:services[0].secrets": ["API_KEY"], "platform:serviceSecrets": { api: { API_KEY: { secure: "v1:ciphertext" } } } });
        const dev = await render("dev");
        const hashless = (name: string) => name.replace(/-[0-9a-f]{10}$/, `-${"0".repeat(10)}`);
        for (const object of [...q.manifests(), ...dev.manifests()].map((m) => m.object).filter((o) => o.metadata.namespace === "api" && o.kind !== "NetworkPolicy")) {
            assert.ok(derivedObjectNames("api").includes(hashless(object.metadata.name as string)), `${object.kind} ${object.metadata.name}`);
        }
        const [ingress] = q.objects("Ingress", "api");
        const keys = Object.keys(ingress.metadata.annotations ?? {}).filter((key) => /\/(actions|conditions)\./.test(key));
        const rules = listenerRules(ingress, q.objects("Service")).filter((r) => r.conditions.some((c) => c.field === "source-ip")).length;
        assert.deepEqual(keys.filter((key) => !derivedAnnotationKeys(rules).includes(key)), []);
        assert.equal(ingress.metadata.annotations?.["alb.ingress.kubernetes.io/group.name"], albGroupName({ project: "platform", stack: "production" }, "api"));
    });
});
