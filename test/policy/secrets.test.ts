import { strict as assert } from "assert";
import type { InstanceArgs } from "@pulumi/aws/rds/instance";
import type * as k8s from "@pulumi/kubernetes/types/input";
import type { Unwrap } from "@pulumi/pulumi";
import fc from "fast-check";
import { plainOf, sealedAt, sealPaths, storedProps } from "../../policy/remediation";
import { carriesPassword, k8sNoSecretLiterals, namesCredential, secretsMarkedSecret } from "../../policy/rules/secrets";
import { markedSecret, reviewedResources } from "../../tools/policyCheck";
import { assertCaught, assertClean, findings, renderOf, resource } from "./fixtures";

function podWithEnv(env: Unwrap<k8s.core.v1.EnvVar>[]) {
    return resource<k8s.apps.v1.Deployment>("kubernetes:apps/v1:Deployment", "api", {
        metadata: { namespace: "apps" },
        spec: { selector: {}, template: { spec: { containers: [{ name: "api", image: "api:1", env }] } } },
    });
}

describe("policy: secrets", () => {
    it("a credential passed as a literal env value is refused; one from a Secret passes", () => {
        assertCaught(findings(k8sNoSecretLiterals, podWithEnv([{ name: "DB_PASSWORD", value: "hunter2" }])), /container api env DB_PASSWORD is a credential in plain text/);
        assertClean(findings(k8sNoSecretLiterals, podWithEnv([{ name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "api-db", key: "password" } } }])));
        assertClean(findings(k8sNoSecretLiterals, podWithEnv([{ name: "DB_PASSWORD_FILE", value: "/var/run/secrets/db/password" }])));
        assertClean(findings(k8sNoSecretLiterals, podWithEnv([{ name: "LOG_LEVEL", value: "info" }])));
    });

    it("a connection URL carrying its password is refused whatever its name", () => {
        assertCaught(findings(k8sNoSecretLiterals, podWithEnv([{ name: "DATABASE_URL", value: "postgres://app:s3cret@db:5432/app" }])), /URL with a password/);
        assertClean(findings(k8sNoSecretLiterals, podWithEnv([{ name: "DATABASE_URL", value: "postgres://db:5432/app" }])));
    });

    it("a credential in a ConfigMap is refused", () => {
        const config = (data: Record<string, string>) =>
            resource<k8s.core.v1.ConfigMap>("kubernetes:core/v1:ConfigMap", "api-config", { metadata: { namespace: "apps" }, data });
        assertCaught(findings(k8sNoSecretLiterals, config({ API_TOKEN: "abc" })), /ConfigMap key API_TOKEN is a credential/);
        assertClean(findings(k8sNoSecretLiterals, config({ PORT: "8080", DB_SECRET_NAME: "api-db" })));
    });

    it("tells names that hold a credential from names that point at one", () => {
        assert.deepEqual(
            ["PGPASSWORD", "api_key", "GITHUB_TOKEN", "privateKey", "SECRET_FILE", "DB_SECRET_ARN", "PORT"].map(namesCredential),
            [true, true, true, true, false, false, false],
        );
        assert.equal(carriesPassword("https://user:pw@example.com"), true);
        assert.equal(carriesPassword("https://example.com/a:b@c"), false);
    });

    it("offline, a database password or Secret data that is not a Pulumi secret is refused", () => {
        const [plain] = reviewedResources(renderOf([{ type: "aws:rds/instance:Instance", name: "db", inputs: { password: "hunter2", username: "app" } }])).slice(1);
        assertCaught(findings(secretsMarkedSecret, plain), /^password is not a secret/);
        const [hidden] = reviewedResources(renderOf([{ type: "aws:rds/instance:Instance", name: "db", inputs: { password: { "@secret": "hunter2" } } }])).slice(1);
        assertClean(findings(secretsMarkedSecret, hidden));
        assert.equal(hidden.props.password, "hunter2", "rules read the value the provider receives");

        const [secret] = reviewedResources(
            renderOf([{ type: "kubernetes:core/v1:Secret", name: "api-db", inputs: { stringData: { host: { "@secret": "db" }, password: "hunter2" } } }]),
        ).slice(1);
        assert.deepEqual(findings(secretsMarkedSecret, secret), ["stringData.password is not a secret: it is stored in plain text in the state and printed by pulumi"]);
    });

    it("offline, a stack output that grants access must be a secret", () => {
        const [stack] = reviewedResources(renderOf([], { kubeconfig: "apiVersion: v1", vpcId: "vpc-1", database: { password: { "@secret": "x" } } }));
        assert.deepEqual(findings(secretsMarkedSecret, stack), ["kubeconfig is not a secret: it is stored in plain text in the state and printed by pulumi"]);
    });

    it("stays silent where secrets arrive without their mark (CrossGuard's validateResource); its remediation judges them", () => {
        assertClean(findings(secretsMarkedSecret, resource<InstanceArgs>("aws:rds/instance:Instance", "db", { password: "hunter2" })));
        assert.equal(secretsMarkedSecret.enforcement.production, "remediate");
    });

    it("a remediation seals exactly the paths it is given, keeps every other value as stored, and changes no plain value", () => {
        class Secret {
            constructor(readonly value: unknown) {}
        }
        const leaf = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null));
        const stored = fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), fc.oneof(leaf, fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), fc.oneof(leaf, leaf.map((v) => new Secret(v))))));
        fc.assert(
            fc.property(stored, fc.context(), (props, ctx) => {
                const paths = Object.entries(props).flatMap(([key, value]) =>
                    typeof value === "object" && value !== null ? Object.keys(value).map((inner) => [key, inner]) : [[key]],
                );
                const chosen = paths.filter((_, i) => i % 2 === 0);
                ctx.log(JSON.stringify(chosen));
                const sealed = sealPaths(props, chosen, Secret);
                for (const path of chosen) {
                    assert.ok(sealedAt(sealed, path, Secret), `${path.join(".")} is sealed`);
                }
                for (const path of paths.filter((p) => !chosen.includes(p))) {
                    assert.equal(sealedAt(sealed, path, Secret), sealedAt(props, path, Secret), `${path.join(".")} keeps its mark`);
                }
                assert.deepEqual(plainOf(sealed, Secret), plainOf(props, Secret), "the values themselves do not change");
            }),
        );
    });

    it("reads the stored values behind CrossGuard's proxies, where a secret is still a Secret", () => {
        class Secret {
            constructor(readonly value: unknown) {}
        }
        const stored = { stringData: { password: new Secret("x"), host: "db" } };
        // Like @pulumi/policy's proxies: `get` unwraps secrets, nothing else is trapped.
        const unwrap = (value: unknown): unknown => (value instanceof Secret ? value.value : value);
        const proxied = new Proxy(stored, { get: (target, key) => unwrap((target as Record<string | symbol, unknown>)[key]) });
        assert.deepEqual(Object.keys(storedProps(proxied)), ["stringData"]);
        assert.equal(sealedAt(storedProps(proxied), ["stringData", "password"], Secret), true);
        assert.equal(sealedAt(storedProps(proxied), ["stringData", "host"], Secret), false);
    });

    it("finds the secret mark on the value or on anything enclosing it", () => {
        const inputs = { data: { "@secret": { password: "x" } }, spec: { token: { "@secret": "t" }, name: "n" } };
        assert.equal(markedSecret(inputs, ["data", "password"]), true);
        assert.equal(markedSecret(inputs, ["spec", "token"]), true);
        assert.equal(markedSecret(inputs, ["spec", "name"]), false);
        assert.equal(markedSecret(inputs, ["missing", "path"]), false);
    });
});
