import { strict as assert } from "assert";
import type * as k8s from "@pulumi/kubernetes/types/input";
import type { Unwrap } from "@pulumi/pulumi";
import fc from "fast-check";
import { blocksEviction, fewestPods, k8sPdbPerDeployment, selects } from "../../policy/rules/disruption";
import {
    k8sImageByDigest,
    k8sNoLatestTag,
    k8sProbes,
    k8sResources,
    k8sRestrictedSecurityContext,
    parseImage,
} from "../../policy/rules/workloads";
import { assertCaught, assertClean, findings, resource, stackFindings } from "./fixtures";

const digest = `sha256:${"a".repeat(64)}`;
const image = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/api@${digest}`;

type Container = Unwrap<k8s.core.v1.Container>;

/** A container as the Service component must build it. */
function container(overrides: Partial<Container> = {}): Container {
    return {
        name: "api",
        image,
        resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
        startupProbe: { httpGet: { path: "/health/startup", port: 8080 } },
        readinessProbe: { httpGet: { path: "/health/ready", port: 8080 } },
        livenessProbe: { httpGet: { path: "/health/live", port: 8080 } },
        securityContext: {
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            runAsNonRoot: true,
            runAsUser: 10001,
            capabilities: { drop: ["ALL"] },
        },
        ...overrides,
    };
}

const labels = { "app.kubernetes.io/name": "api", "platform/color": "blue" };

function deployment(containers: Container[], extra: { namespace?: string; pod?: Partial<Unwrap<k8s.core.v1.PodSpec>>; replicas?: number } = {}) {
    return resource<k8s.apps.v1.Deployment>("kubernetes:apps/v1:Deployment", "api-blue", {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "api-blue", namespace: extra.namespace ?? "apps" },
        spec: {
            replicas: extra.replicas,
            selector: { matchLabels: labels },
            template: {
                metadata: { labels },
                spec: { securityContext: { seccompProfile: { type: "RuntimeDefault" }, runAsNonRoot: true }, containers, ...extra.pod },
            },
        },
    });
}

function budget(spec: Partial<Unwrap<k8s.policy.v1.PodDisruptionBudgetSpec>>, namespace = "apps") {
    return resource<k8s.policy.v1.PodDisruptionBudget>("kubernetes:policy/v1:PodDisruptionBudget", "api-blue-pdb", {
        apiVersion: "policy/v1",
        kind: "PodDisruptionBudget",
        metadata: { name: "api-blue", namespace },
        spec: { selector: { matchLabels: labels }, maxUnavailable: 1, ...spec },
    });
}

const podRules = [k8sProbes, k8sResources, k8sRestrictedSecurityContext, k8sImageByDigest, k8sNoLatestTag];

describe("policy: Kubernetes workloads", () => {
    it("a Deployment built to the rules passes every workload rule", () => {
        for (const rule of podRules) {
            assertClean(findings(rule, deployment([container()])));
        }
    });

    it("a serving container without all three probes is refused", () => {
        assertCaught(findings(k8sProbes, deployment([container({ startupProbe: undefined, livenessProbe: undefined })])), /container api has no startupProbe, livenessProbe/);
    });

    it("liveness must not probe the readiness endpoint", () => {
        const shared = { httpGet: { path: "/health/ready", port: 8080 } };
        assertCaught(findings(k8sProbes, deployment([container({ livenessProbe: shared, readinessProbe: shared })])), /liveness and readiness on GET :8080\/health\/ready/);
    });

    it("a container without CPU and memory requests and limits is refused, init containers too", () => {
        const migrate = container({ name: "migrate", resources: { requests: { cpu: "50m" } } });
        assertCaught(findings(k8sResources, deployment([container()], { pod: { initContainers: [migrate] } })), /init container migrate has no resources.requests.memory, resources.limits.cpu/);
    });

    it("a container outside the restricted Pod Security Standard is refused", () => {
        const loose = container({ securityContext: { runAsUser: 0, capabilities: { add: ["NET_ADMIN"] } } });
        const [message] = findings(k8sRestrictedSecurityContext, deployment([loose], { pod: { securityContext: {} } }));
        for (const gap of [
            "runAsNonRoot is not true",
            "runAsUser is 0",
            "allowPrivilegeEscalation is not false",
            "capabilities.drop does not include ALL",
            "capabilities.add has NET_ADMIN",
            "seccompProfile.type is not RuntimeDefault",
            "readOnlyRootFilesystem is not true",
        ]) {
            assert.ok(message.includes(gap), `${gap} in ${message}`);
        }
        assertCaught(findings(k8sRestrictedSecurityContext, deployment([container()], { pod: { hostNetwork: true } })), /shares the node's hostNetwork/);
    });

    it("a container run by tag instead of digest is refused", () => {
        assertCaught(findings(k8sImageByDigest, deployment([container({ image: "ghcr.io/acme/api:1.4.2" })])), /runs ghcr.io\/acme\/api:1.4.2 without a digest/);
    });

    it("the latest tag, or no tag at all, is refused; a digest pins whatever the tag says", () => {
        assertCaught(findings(k8sNoLatestTag, deployment([container({ image: "nginx:latest" })])), /runs nginx:latest, which means latest/);
        assertCaught(findings(k8sNoLatestTag, deployment([container({ image: "registry.local:5000/api" })])), /which means latest/);
        assertClean(findings(k8sNoLatestTag, deployment([container({ image: "registry.local:5000/api:2.0.1" })])));
        assertClean(findings(k8sNoLatestTag, deployment([container({ image: `api:latest@${digest}` })])));
    });

    it("reads image references with registry ports, tags and digests", () => {
        assert.deepEqual(parseImage("registry.local:5000/team/api"), { repository: "registry.local:5000/team/api" });
        assert.deepEqual(parseImage("registry.local:5000/team/api:1.2"), { repository: "registry.local:5000/team/api", tag: "1.2" });
        assert.deepEqual(parseImage(`api:1.2@${digest}`), { repository: "api", tag: "1.2", digest });
    });

    it("leaves add-ons in kube-system to their charts", () => {
        const addOn = deployment([container({ image: "metrics-server:latest", livenessProbe: undefined, securityContext: {} })], { namespace: "kube-system" });
        for (const rule of podRules) {
            assertClean(findings(rule, addOn));
        }
    });

    it("reads CronJobs' pods where they keep them", () => {
        const job = resource<k8s.batch.v1.CronJob>("kubernetes:batch/v1:CronJob", "cleanup", {
            metadata: { namespace: "apps" },
            spec: { schedule: "0 * * * *", jobTemplate: { spec: { template: { spec: { containers: [container({ image: "cleanup" })] } } } } },
        });
        assertCaught(findings(k8sNoLatestTag, job), /container api runs cleanup/);
    });
});

describe("policy: disruption budgets", () => {
    it("every Deployment is covered by a budget in its namespace that selects its pods", () => {
        const workload = deployment([container()]);
        assertClean(stackFindings(k8sPdbPerDeployment, [workload, budget({})]));
        assertCaught(stackFindings(k8sPdbPerDeployment, [workload]), /api-blue has no PodDisruptionBudget/);
        assertCaught(stackFindings(k8sPdbPerDeployment, [workload, budget({}, "other")]), /has no PodDisruptionBudget/);
        assertCaught(
            stackFindings(k8sPdbPerDeployment, [workload, budget({ selector: { matchLabels: { "platform/color": "green" } } })]),
            /has no PodDisruptionBudget/,
        );
    });

    it("a budget that lets no pod be evicted is refused: node drains would hang", () => {
        const workload = deployment([container()], { replicas: 2 });
        assertCaught(stackFindings(k8sPdbPerDeployment, [workload, budget({ maxUnavailable: 0 })]), /lets no pod of api-blue be evicted \(maxUnavailable is 0\)/);
        assertCaught(stackFindings(k8sPdbPerDeployment, [workload, budget({ maxUnavailable: undefined, minAvailable: 2 })]), /minAvailable is 2 of 2 pods at the fewest/);
        assertClean(stackFindings(k8sPdbPerDeployment, [workload, budget({ maxUnavailable: undefined, minAvailable: 1 })]));
    });

    it("counts the pods an HPA owns at its minReplicas, where the Deployment carries no replicas", () => {
        const autoscaler = (minReplicas?: number, target = "api-blue") =>
            resource<k8s.autoscaling.v2.HorizontalPodAutoscaler>("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", `${target}-hpa`, {
                metadata: { name: target, namespace: "apps" },
                spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: target }, minReplicas, maxReplicas: 10 },
            });
        fc.assert(
            fc.property(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 50 }), (minReplicas, replicas) => {
                const owned = deployment([container()]);
                assert.equal(fewestPods(owned, [owned, autoscaler(minReplicas)]), minReplicas);
                assert.equal(fewestPods(owned, [owned, autoscaler(minReplicas, "other")]), 1, "another Deployment's HPA does not count");
                const fixed = deployment([container()], { replicas });
                assert.equal(fewestPods(fixed, [fixed, autoscaler(minReplicas)]), replicas, "spec.replicas, when set, is the count");
                const atMinimum = stackFindings(k8sPdbPerDeployment, [owned, autoscaler(minReplicas), budget({ maxUnavailable: undefined, minAvailable: minReplicas })]);
                assertCaught(atMinimum, new RegExp(`minAvailable is ${minReplicas} of ${minReplicas} pods? at the fewest`));
            }),
        );
        assert.equal(fewestPods(deployment([container()]), [autoscaler(undefined)]), 1, "an HPA without minReplicas keeps 1");
    });

    it("lets a pod go exactly when the disruption controller would, for counts and percentages", () => {
        const percent = fc.integer({ min: 0, max: 100 }).map((p) => `${p}%`);
        fc.assert(
            fc.property(fc.integer({ min: 1, max: 200 }), fc.oneof(fc.integer({ min: 0, max: 200 }), percent), (pods, value) => {
                // maxUnavailable scales rounding up: any positive share of at least one pod lets one go.
                const unavailable = blocksEviction({ maxUnavailable: value }, pods) !== undefined;
                assert.equal(unavailable, value === 0 || value === "0%");
                // minAvailable needs more healthy pods than it names; a percentage scales rounding up.
                const desired = typeof value === "number" ? value : Math.ceil((Number(value.slice(0, -1)) * pods) / 100);
                assert.equal(blocksEviction({ minAvailable: value }, pods) !== undefined, desired >= pods);
            }),
        );
        assert.equal(blocksEviction({ minAvailable: "100%" }, 1000), "minAvailable is \"100%\" of 1000 pods at the fewest");
        assert.equal(blocksEviction({ minAvailable: "99%" }, 3), "minAvailable is \"99%\" of 3 pods at the fewest", "99% of 3 rounds up to 3");
    });

    it("selects pods as Kubernetes does", () => {
        const pod = { app: "api", tier: "web" };
        assert.equal(selects({}, pod), true, "an empty selector selects every pod");
        assert.equal(selects(undefined, pod), false, "no selector selects none");
        assert.equal(selects({ matchLabels: { app: "api" } }, pod), true);
        assert.equal(selects({ matchLabels: { app: "worker" } }, pod), false);
        assert.equal(selects({ matchExpressions: [{ key: "tier", operator: "In", values: ["web", "api"] }] }, pod), true);
        assert.equal(selects({ matchExpressions: [{ key: "tier", operator: "NotIn", values: ["web"] }] }, pod), false);
        assert.equal(selects({ matchExpressions: [{ key: "color", operator: "DoesNotExist" }] }, pod), true);
        assert.equal(selects({ matchExpressions: [{ key: "color", operator: "Exists" }] }, pod), false);
    });
});
