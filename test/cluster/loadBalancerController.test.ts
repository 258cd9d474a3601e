import { strict as assert } from "assert";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { loadBalancerControllerAccount, loadBalancerControllerChart } from "../../components/cluster/loadBalancerController";
import { readinessGateLabels } from "../../components/cluster/namespaces";
import policy from "../../components/cluster/policies/awsLoadBalancerController.json";
import type { RenderedResource } from "../../tools/engine/model";
import type { RenderQuery } from "../../tools/engine/query";
import { projectDir, render, stacks } from "../harness";

// Read at aws-load-balancer-controller v3.5.0 (chart 3.5.0, the published
// aws-load-balancer-controller-3.5.0.tgz of the eks-charts index, sha256 45051f63…, holds the
// repository's helm/aws-load-balancer-controller at that tag).

const controllerRelease = (q: RenderQuery) => q.ofType("kubernetes:helm.sh/v3:Release").find((r) => r.inputs.chart === loadBalancerControllerChart.chart) as RenderedResource;
const valuesOf = (q: RenderQuery) => controllerRelease(q).inputs.values as Record<string, any>;

/**
 * The chart values this program sets, as helm/aws-load-balancer-controller/values.yaml declares
 * them; a key the chart does not read would be dropped without a word. `podDisruptionBudget` and
 * `serviceAccount.annotations` are maps the templates copy whole (templates/pdb.yaml, serviceaccount.yaml).
 */
const chartKeys = [
    "clusterName",
    "region",
    "vpcId",
    "replicaCount",
    "podDisruptionBudget",
    "enableServiceMutatorWebhook",
    "podMutatorWebhookConfig.failurePolicy",
    "keepTLSSecret",
    "serviceAccount.create",
    "serviceAccount.name",
    "serviceAccount.annotations",
];

/** The dotted paths of a values tree, down to the keys above (maps below them are the chart's to copy). */
function valuePaths(values: Record<string, unknown>, prefix = ""): string[] {
    return Object.entries(values).flatMap(([key, value]) => {
        const at = prefix + key;
        const isTree = typeof value === "object" && value !== null && !Array.isArray(value) && !("@resource" in value) && !("@secret" in value);
        return isTree && !chartKeys.includes(at) ? valuePaths(value as Record<string, unknown>, `${at}.`) : [at];
    });
}

/** Key order and layout aside, the document: JSON with sorted keys. */
function canonical(value: unknown): string {
    if (Array.isArray(value)) {
        return `[${value.map(canonical).join(",")}]`;
    }
    if (typeof value === "object" && value !== null) {
        return `{${Object.keys(value)
            .sort()
            .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
            .join(",")}}`;
    }
    return JSON.stringify(value);
}

/** The TypeScript and Markdown files under a project path, node_modules left out. */
function sourceFiles(entry: string): string[] {
    const full = path.join(projectDir, entry);
    if (fs.statSync(full).isDirectory()) {
        return entry.endsWith("node_modules") ? [] : fs.readdirSync(full).flatMap((child) => sourceFiles(path.join(entry, child)));
    }
    return /\.(ts|md)$/.test(entry) ? [entry] : [];
}

/** Kinds whose objects make pods: what the pod webhook intercepts in a labelled namespace. */
const podMakers = new Set(["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "ReplicaSet", "Pod"]);

describe("the AWS Load Balancer Controller", () => {
    it("is granted exactly the IAM policy its version documents", () => {
        // docs/install/iam_policy.json at v3.5.0 (as at v2.17.0), vendored byte for byte (file sha256 16f232c9…),
        // compared as a document: the sha256 of its canonical form (sorted keys, no whitespace).
        const digest = createHash("sha256").update(canonical(policy)).digest("hex");
        assert.equal(digest, "bb9e48240ace4258c78d152ce98175ee6a118f0715faad4ff5a3e394c9d66171");
    });

    for (const stack of stacks) {
        it(`${stack}: runs with that policy inline on its own role, within IAM's 10,240 characters for a role's inline policies`, async () => {
            // IAM User Guide, reference_iam-quotas.html: "Role policy size cannot exceed 10,240 characters".
            const q = await render(stack);
            const release = controllerRelease(q);
            const role = q.sourcesOf(release, "values").find((r) => r.type === "aws:iam/role:Role") as RenderedResource;
            const inline = q.ofType("aws:iam/rolePolicy:RolePolicy").filter((p) => q.sourcesOf(p, "role").some((r) => r.urn === role.urn));
            assert.equal(inline.length, 1);
            assert.deepEqual(JSON.parse(inline[0].inputs.policy as string), policy);
            assert.ok((inline[0].inputs.policy as string).length <= 10240);
        });

        it(`${stack}: sets only values the pinned chart reads`, async () => {
            const unknown = valuePaths(valuesOf(await render(stack))).filter((p) => !chartKeys.includes(p));
            assert.deepEqual(unknown, []);
        });

        it(`${stack}: creates no workload pod without its ALB readiness gates, and never blocks its own pods or kube-system's`, async () => {
            // templates/webhook.yaml, mpod.elbv2.k8s.aws: failurePolicy from podMutatorWebhookConfig (values.yaml: Ignore);
            // namespaceSelector `elbv2.k8s.aws/pod-readiness-gate-inject In [enabled]` unless webhookNamespaceSelectors
            // is set (it is not: see above); objectSelector `app.kubernetes.io/name NotIn [aws-load-balancer-controller]`,
            // the chart's name unless nameOverride (not set either).
            const q = await render(stack);
            const values = valuesOf(q);
            assert.deepEqual(values.podMutatorWebhookConfig, { failurePolicy: "Fail" });
            assert.equal(controllerRelease(q).inputs.namespace, loadBalancerControllerAccount.namespace);
            const [[key, value]] = Object.entries(readinessGateLabels);
            const selected = q
                .objects("Namespace")
                .filter((ns) => (ns.metadata.labels as Record<string, string> | undefined)?.[key] === value)
                .map((ns) => ns.metadata.name);
            assert.ok(selected.length > 0, "the services' namespaces carry the label");
            assert.ok(!selected.includes(loadBalancerControllerAccount.namespace));
            // With failurePolicy Fail a pod is refused while no controller answers: none may be asked for before the
            // release is ready, which its pods are once the webhook serves (main.go, readyz check `ready-webhook`).
            const release = controllerRelease(q);
            const makers = q.resources.filter((r) => {
                const object = r.inputs as { kind?: string; metadata?: { namespace?: string } };
                return r.type.startsWith("kubernetes:") && podMakers.has(r.type.split(":").pop() as string) && selected.includes(object.metadata?.namespace as string);
            });
            assert.ok(makers.length > 0);
            for (const maker of makers) {
                assert.ok(q.waitsFor(maker, release), `${maker.name} waits for the controller`);
            }
        });

        it(`${stack}: keeps the webhooks' certificate across chart upgrades`, async () => {
            // templates/_helpers.tpl, webhookCerts: the existing Secret is reused only with keepTLSSecret (values.yaml: false).
            assert.equal(valuesOf(await render(stack)).keepTLSSecret, true);
        });
    }

    it("is cited at the version it runs, wherever the code and docs name one", () => {
        // Each such citation was read at that version: a new pin must be read again, not carried over.
        // A version right after "controller", or anywhere on a line naming the load balancer controller.
        const afterController = /controller\W{0,2}(v\d+\.\d+\.\d+)/gi;
        const namesController = /load[- ]balancer[- ]controller/i;
        const version = /\bv\d+\.\d+\.\d+\b/g;
        const roots = ["components", "config", "docs", "policy", "services", "test", "tools", "index.ts", "README.md"];
        const stale = roots
            .flatMap((root) => sourceFiles(root))
            .flatMap((file) =>
                fs
                    .readFileSync(path.join(projectDir, file), "utf8")
                    .split("\n")
                    .flatMap((line, i) => {
                        const cited = [...line.matchAll(afterController)].map((m) => m[1]);
                        const onLine = namesController.test(line) ? [...line.matchAll(version)].map((m) => m[0]) : [];
                        return [...cited, ...onLine].filter((v) => v !== loadBalancerControllerChart.appVersion).map((v) => `${file}:${i + 1}: ${v}`);
                    }),
            );
        assert.deepEqual(stale, []);
    });
});
