import { strict as assert } from "assert";
import { configProblems } from "../harness";

const api = { name: "api", source: "services/api" };

describe("service configuration", () => {
    it("rejects two services with one name", async () => {
        assert.deepEqual(await configProblems("dev", { "platform:services": [api, api] }), ['services[1].name: "api" is the name of another service too']);
    });

    it("rejects a port outside 1-65535", async () => {
        assert.deepEqual(await configProblems("dev", { "platform:services[0].port": 70000 }), ["services[0].port: 70000 is above the maximum 65535"]);
    });

    it("rejects autoscaling bounds that contradict each other", async () => {
        assert.deepEqual(await configProblems("dev", { "platform:services[0].autoscaling.minReplicas": 5, "platform:services[0].autoscaling.maxReplicas": 2 }), [
            "services[0].autoscaling.minReplicas: 5 is above autoscaling.maxReplicas 2",
        ]);
    });

    it("rejects a replica count the HPA would own", async () => {
        assert.deepEqual(await configProblems("dev", { "platform:services[0].replicas": 4 }), [
            "services[0].replicas: 4 is set while autoscaling.enabled is true; the HPA owns the pod count: set autoscaling.minReplicas and maxReplicas, or autoscaling.enabled false",
        ]);
    });

    it("rejects memory in thousandths of a byte, which Kubernetes takes but nobody means", async () => {
        assert.deepEqual(await configProblems("dev", { "platform:services[0].resources.limits.memory": "512m" }), [
            'services[0].resources.limits.memory: "512m" is in thousandths of a byte (m); use Mi or Gi, e.g. 256Mi',
        ]);
    });

    it("rejects a rollout that may neither add nor remove a pod, for blue/green colors too", async () => {
        assert.deepEqual(await configProblems("production", { "platform:services[0].rollout.maxSurge": 0 }), [
            "services[0].rollout.maxUnavailable: 0 and maxSurge 0 are both zero: no pod could be replaced; raise one of them",
        ]);
    });

    it("rejects an IRSA role that is not an IAM role ARN", async () => {
        assert.deepEqual(await configProblems("dev", { "platform:services[0].serviceAccount.iamRoleArn": "api-role" }), [
            'services[0].serviceAccount.iamRoleArn: "api-role" is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)',
        ]);
    });

    it("rejects quantities Kubernetes would reject, and requests above limits", async () => {
        assert.deepEqual(await configProblems("dev", { "platform:services[0].resources.requests.memory": "256MB" }), [
            'services[0].resources.requests.memory: "256MB" is not a Kubernetes quantity (e.g. 250m, 1, 512Mi, 2Gi)',
        ]);
        assert.deepEqual(await configProblems("dev", { "platform:services[0].resources.requests.cpu": "2" }), ['services[0].resources.requests.cpu: "2" is above the limit 1']);
    });

    it("rejects a probe path without a leading slash, and liveness on the readiness endpoint", async () => {
        assert.deepEqual(await configProblems("dev", { "platform:services[0].probes.readinessPath": "health/ready" }), [
            'services[0].probes.readinessPath: "health/ready" is not an absolute URL path (it must start with /)',
        ]);
        assert.deepEqual(await configProblems("dev", { "platform:services[0].probes.livenessPath": "/health/ready" }), [
            'services[0].probes.livenessPath: "/health/ready" is also the readiness path; liveness must not depend on what readiness checks',
        ]);
    });

    it("rejects an unknown strategy or color", async () => {
        assert.deepEqual(await configProblems("dev", { "platform:services[0].strategy": "canary" }), [
            'services[0].strategy: "canary" is not one of "rolling", "blueGreen"',
        ]);
        assert.deepEqual(await configProblems("production", { "platform:services[0].release.active": "red" }), [
            'services[0].release.active: "red" is not one of "blue", "green"',
        ]);
    });

    it("rejects a secret the stack gives no value", async () => {
        assert.deepEqual(await configProblems("dev", { "platform:services[0].secrets": ["API_KEY"] }), [
            "services[0].secrets[0]: \"API_KEY\" has no value; set it with pulumi config set --secret --path 'serviceSecrets.api.API_KEY' <value>",
        ]);
    });

    it("rejects secret values stored in plain text", async () => {
        assert.deepEqual(await configProblems("dev", { "platform:serviceSecrets": { api: { API_KEY: "hunter2" } } }), [
            "platform:serviceSecrets: is stored in plain text; set each value with pulumi config set --secret --path 'serviceSecrets.<service>.<NAME>' <value>",
        ]);
    });

    it("rejects a grace period shorter than the ALB's draining", async () => {
        assert.deepEqual(await configProblems("dev", { "platform:services[0].shutdown.terminationGracePeriodSeconds": 20 }), [
            "services[0].shutdown.terminationGracePeriodSeconds: 20 is shorter than edge.deregistrationDelaySeconds 30: the ALB would still send requests to killed pods",
        ]);
    });

    it("serves production HTTPS only: every Ingress needs a host and its certificate", async () => {
        assert.deepEqual(await configProblems("production", { "platform:services[0].ingress": { enabled: true } }), [
            "services[0].ingress.host: is missing; production serves HTTPS only, on a host name its certificate covers",
            "services[0].ingress.certificateArn: is missing; production serves HTTPS only: name the ACM certificate (this account, this region) for the host",
        ]);
    });

    it("rejects a source folder without a Dockerfile before anything is created", async () => {
        assert.deepEqual(await configProblems("dev", { "platform:services[0].source": "services/missing" }), [
            'services[0].source: "services/missing" has no Dockerfile (looked for services/missing/Dockerfile)',
        ]);
    });

    it("rejects the moving tag latest wherever a version is pinned, and a preview source that is not a CIDR", async () => {
        assert.deepEqual(await configProblems("dev", { "platform:services[0].release.version": "latest" }), [
            'services[0].release.version: "latest" is the moving tag latest, which names a different image after every push; name a fixed tag or a sha256: digest',
        ]);
        assert.deepEqual(await configProblems("production", { "platform:services[0].blueGreen.preview.sourceCidrs": ["office"] }), [
            'services[0].blueGreen.preview.sourceCidrs[0]: "office" is not an IPv4 CIDR',
        ]);
    });
});
