import { strict as assert } from "assert";
import type { KubernetesObject } from "../../tools/engine/manifests";
import { isSecret } from "../../tools/engine/wire";
import { render, stacks } from "../harness";

const containersOf = (deployment: KubernetesObject) => (deployment as any).spec.template.spec.containers as any[];

describe("services", () => {
    for (const stack of stacks) {
        describe(`${stack} stack`, () => {
            it("probes startup, readiness and liveness on three separate endpoints", async () => {
                for (const deployment of (await render(stack)).objects("Deployment")) {
                    const [c] = containersOf(deployment);
                    const paths = [c.startupProbe.httpGet.path, c.readinessProbe.httpGet.path, c.livenessProbe.httpGet.path];
                    assert.equal(new Set(paths).size, 3, paths.join(", "));
                }
            });

            it("runs as a numeric non-root user with a read-only root, nothing to escalate, and a writable /tmp", async () => {
                for (const deployment of (await render(stack)).objects("Deployment")) {
                    const pod = (deployment as any).spec.template.spec;
                    const [c] = pod.containers;
                    assert.equal(c.securityContext.runAsNonRoot, true);
                    assert.ok(c.securityContext.runAsUser >= 10001 && c.securityContext.runAsGroup >= 10001);
                    assert.equal(c.securityContext.readOnlyRootFilesystem, true);
                    assert.equal(c.securityContext.allowPrivilegeEscalation, false);
                    assert.deepEqual(c.securityContext.capabilities.drop, ["ALL"]);
                    assert.equal(pod.securityContext.seccompProfile.type, "RuntimeDefault");
                    const tmp = c.volumeMounts.find((m: any) => m.mountPath === "/tmp");
                    assert.ok(pod.volumes.find((v: any) => v.name === tmp.name).emptyDir);
                    assert.equal(pod.automountServiceAccountToken, false);
                }
            });

            it("sets requests and limits for cpu, memory and ephemeral storage", async () => {
                for (const deployment of (await render(stack)).objects("Deployment")) {
                    const { requests, limits } = containersOf(deployment)[0].resources;
                    for (const kind of ["cpu", "memory", "ephemeral-storage"]) {
                        assert.ok(requests[kind] && limits[kind], kind);
                    }
                }
            });

            it("leaves the replica count of an autoscaled Deployment to its HPA", async () => {
                const q = await render(stack);
                for (const hpa of q.objects("HorizontalPodAutoscaler")) {
                    const target = q.objects("Deployment", (hpa as any).spec.scaleTargetRef.name)[0];
                    // Created at the HPA's floor; updates ignore the count (test/services/replicaOwnership.test.ts).
                    assert.equal((target as any).spec.replicas, (hpa as any).spec.minReplicas);
                    assert.deepEqual(q.one("kubernetes:apps/v1:Deployment", q.ofType("kubernetes:apps/v1:Deployment").find((d) => (d.inputs as any).metadata.name === target.metadata.name)?.name).options.ignoreChanges, ["spec.replicas"]);
                    const kinds = (hpa as any).spec.metrics.map((m: any) => m.resource.name).sort();
                    assert.deepEqual(kinds, ["cpu", "memory"]);
                    assert.ok((hpa as any).spec.behavior.scaleDown.stabilizationWindowSeconds > 0);
                }
            });

            it("hands the database over as mounted files, never as literal values in the pod", async () => {
                const q = await render(stack);
                const secret = q.ofType("kubernetes:core/v1:Secret").find((s) => s.name.startsWith("api-database-"));
                assert.ok(secret && isSecret(secret.inputs.stringData));
                for (const deployment of q.objects("Deployment")) {
                    const [c] = containersOf(deployment);
                    assert.ok(c.env.every((e: any) => e.value === undefined || e.name.endsWith("_FILE")), "only file paths in env");
                    assert.ok(!JSON.stringify(deployment).includes("render-password"), "no password in the pod spec");
                    assert.ok(c.volumeMounts.some((m: any) => m.mountPath === "/var/run/secrets/platform/database" && m.readOnly));
                }
            });

            it("keeps a drained node from taking more than one pod of a Deployment at a time", async () => {
                const q = await render(stack);
                const deployments = q.objects("Deployment");
                const budgets = q.objects("PodDisruptionBudget");
                assert.equal(budgets.length, deployments.length);
                for (const deployment of deployments) {
                    const selector = (deployment as any).spec.selector.matchLabels;
                    const budget = budgets.find((b: any) => JSON.stringify(b.spec.selector.matchLabels) === JSON.stringify(selector));
                    assert.equal((budget as any)?.spec.maxUnavailable, 1);
                }
            });

            it("pauses before SIGTERM and leaves time to drain, longer than the ALB keeps draining", async () => {
                const q = await render(stack);
                const deregistration = /deregistration_delay\.timeout_seconds=(\d+)/.exec(String((q.objects("Ingress")[0] as any).metadata.annotations["alb.ingress.kubernetes.io/target-group-attributes"]))?.[1];
                for (const deployment of q.objects("Deployment")) {
                    const pod = (deployment as any).spec.template.spec;
                    const pause = pod.containers[0].lifecycle.preStop.sleep.seconds;
                    assert.ok(pause > 0);
                    assert.ok(pod.terminationGracePeriodSeconds > pause);
                    assert.ok(pod.terminationGracePeriodSeconds >= Number(deregistration));
                }
            });

            it("spreads pods over zones and hosts", async () => {
                for (const deployment of (await render(stack)).objects("Deployment")) {
                    const keys = (deployment as any).spec.template.spec.topologySpreadConstraints.map((c: any) => c.topologyKey);
                    assert.deepEqual(keys, ["topology.kubernetes.io/zone", "kubernetes.io/hostname"]);
                }
            });

            it("sends ALB traffic straight to pod IPs, each track's target group health-checked on its readiness path, behind the WAF", async () => {
                const q = await render(stack);
                for (const ingress of q.objects("Ingress")) {
                    const a = (ingress as any).metadata.annotations;
                    assert.equal(a["alb.ingress.kubernetes.io/target-type"], "ip");
                    assert.equal(a["alb.ingress.kubernetes.io/wafv2-acl-arn"], q.outputs.webAclArn);
                }
                // The controller lays a Service's annotations over the Ingress's for its target group (pkg/ingress/model_build_target_group.go).
                for (const deployment of q.objects("Deployment")) {
                    const service = q.objects("Service", deployment.metadata.name)[0] as any;
                    assert.equal(service.metadata.annotations["alb.ingress.kubernetes.io/healthcheck-path"], containersOf(deployment)[0].readinessProbe.httpGet.path);
                }
            });

            it("denies all traffic by default and lets pods reach only DNS and the database's subnets on 5432", async () => {
                const q = await render(stack);
                const deny = q.objects("NetworkPolicy", "default-deny")[0] as any;
                assert.deepEqual(deny.spec, { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
                const allow = q.objects("NetworkPolicy").find((p) => p.metadata?.name !== "default-deny") as any;
                const [dns, database] = allow.spec.egress;
                assert.deepEqual(dns.ports.map((p: any) => p.port), [53, 53]);
                assert.deepEqual(database.ports, [{ protocol: "TCP", port: 5432 }]);
                const isolated = q.ofType("aws:ec2/subnet:Subnet").filter((s) => (s.inputs.tags as any).tier === "isolated").map((s) => s.inputs.cidrBlock);
                assert.deepEqual(database.to.map((t: any) => t.ipBlock.cidr), isolated);
            });

            it("exports the URL the smoke test calls", async () => {
                const urls = (await render(stack)).outputs.serviceUrls as Record<string, string>;
                assert.match(urls.api, /^https?:\/\/\S+\/$/);
            });
        });
    }

    it("rolls dev with no pod missing and fails the update when a rollout stalls", async () => {
        const [deployment] = (await render("dev")).objects("Deployment") as any[];
        assert.equal(deployment.spec.strategy.rollingUpdate.maxUnavailable, 0);
        assert.ok(deployment.spec.progressDeadlineSeconds > 0);
        assert.ok(deployment.spec.minReadySeconds > 0);
        assert.equal(deployment.metadata.annotations?.["pulumi.com/skipAwait"], undefined, "pulumi up waits for the rollout");
    });

    it("redirects HTTP to HTTPS with the configured certificate", async () => {
        const certificateArn = "arn:aws:acm:eu-west-1:123456789012:certificate/0f9b2c1e-1234-4d5e-9abc-0123456789ab";
        const q = await render("production", { "platform:services[0].ingress.host": "api.example.com", "platform:services[0].ingress.certificateArn": certificateArn });
        const a = (q.objects("Ingress", "api")[0] as any).metadata.annotations;
        assert.equal(a["alb.ingress.kubernetes.io/certificate-arn"], certificateArn);
        assert.equal(a["alb.ingress.kubernetes.io/ssl-redirect"], "443");
        assert.equal((q.outputs.serviceUrls as Record<string, string>).api, "https://api.example.com/");
    });

    it("rolls the pods when the plain config changes: a new immutable ConfigMap, named by its content", async () => {
        const configOf = async (overrides: Record<string, unknown>) => {
            const q = await render("dev", overrides);
            const name = containersOf(q.objects("Deployment")[0])[0].envFrom[0].configMapRef.name;
            return q.objects("ConfigMap", name)[0] as any;
        };
        const before = await configOf({});
        const after = await configOf({ "platform:services[0].env": { LOG_LEVEL: "debug" } });
        assert.notEqual(after.metadata.name, before.metadata.name);
        assert.equal(after.data.LOG_LEVEL, "debug");
        assert.equal(after.immutable, true);
    });
});

describe("post-deploy load test settings", () => {
    it("exports each stack's thresholds for CI, stricter in production", async () => {
        const dev = (await render("dev")).outputs.loadTest as { p95Ms: number; virtualUsers: number };
        const production = (await render("production")).outputs.loadTest as { p95Ms: number; virtualUsers: number };
        assert.ok(production.p95Ms < dev.p95Ms);
        assert.ok(production.virtualUsers > dev.virtualUsers);
    });
});

describe("a service's own secrets", () => {
    const overrides = {
        "platform:services[0].secrets": ["API_KEY"],
        "platform:serviceSecrets": { api: { API_KEY: { secure: "v1:ciphertext" } } },
    };

    it("reach the pod as a mounted file named by <NAME>_FILE, from a Secret marked secret", async () => {
        const q = await render("dev", overrides);
        const [c] = containersOf(q.objects("Deployment")[0]);
        const volume = (q.objects("Deployment")[0] as any).spec.template.spec.volumes.find((v: any) => v.name === "secrets");
        const secret = q.ofType("kubernetes:core/v1:Secret").find((s) => s.name === volume.secret.secretName);
        assert.ok(secret && isSecret(secret.inputs.stringData) && secret.inputs.immutable === true);
        assert.deepEqual(c.env.find((e: any) => e.name === "API_KEY_FILE"), { name: "API_KEY_FILE", value: "/var/run/secrets/platform/app/API_KEY" });
        assert.ok(c.volumeMounts.some((m: any) => m.mountPath === "/var/run/secrets/platform/app" && m.readOnly));
    });
});
