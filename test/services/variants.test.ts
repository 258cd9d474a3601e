import { strict as assert } from "assert";
import { schemaProblems } from "../../tools/engine/kubernetesSchema";
import { blocking, checkRender, formatOutcomes } from "../../tools/policyCheck";
import { render, stacks } from "../harness";
import { defaultPodConfig } from "./bluegreenFixtures";

const certificateArn = "arn:aws:acm:eu-west-1:123456789012:certificate/0f9b2c1e-1234-4d5e-9abc-0123456789ab";

/** Every service option switched on or away from its default, on both strategies. */
const variants: Record<string, Record<string, unknown>> = {
    "blue/green with every option": {
        "platform:services[0].strategy": "blueGreen",
        "platform:services[0].release": {
            active: "green",
            previous: "blue",
            colors: {
                blue: { number: 1, version: "src-aaaaaaaaaaaaaaaa", config: defaultPodConfig("production") },
                green: { number: 2, version: "src-bbbbbbbbbbbbbbbb", config: { ...defaultPodConfig("production"), env: { LOG_LEVEL: "info" }, secrets: ["API_KEY"] } },
            },
        },
        "platform:services[0].blueGreen": { idleCapacity: "ceiling", preview: { sourceCidrs: ["198.51.100.0/24", "192.0.2.0/28", "203.0.113.0/26"] } },
        "platform:services[0].secrets": ["API_KEY"],
        "platform:serviceSecrets": { api: { API_KEY: { secure: "v1:ciphertext" } } },
        "platform:services[0].env": { LOG_LEVEL: "debug" },
        "platform:services[0].serviceAccount": { iamRoleArn: "arn:aws:iam::123456789012:role/api", kubernetesApi: true },
        "platform:services[0].ingress": { host: "api.example.com", path: "/api", certificateArn },
        "platform:services[0].egress": [{ cidr: "0.0.0.0/0", port: 443 }],
        "platform:services[0].rollout.maxSurge": 1,
    },
    "rolling, fixed size, no ingress": {
        "platform:services[0].strategy": "rolling",
        "platform:services[0].release": { version: "src-cccccccccccccccc" },
        "platform:services[0].autoscaling.enabled": false,
        "platform:services[0].replicas": 3,
        "platform:services[0].ingress.enabled": false,
        "platform:services[0].shutdown": { preStopSeconds: 0, terminationGracePeriodSeconds: 90 },
    },
};

describe("services in every configuration", () => {
    for (const stack of stacks) {
        for (const [variant, overrides] of Object.entries(variants)) {
            it(`${stack}, ${variant}: every Kubernetes object validates against the API schema`, async () => {
                const objects = (await render(stack, overrides)).manifests().map((m) => m.object);
                for (const object of objects) {
                    assert.deepEqual(await schemaProblems(object), [], `${object.kind} ${object.metadata?.name}`);
                }
            });

            it(`${stack}, ${variant}: passes every mandatory rule of the policy pack`, async () => {
                const outcomes = checkRender((await render(stack, overrides)).rendered, stack);
                assert.deepEqual(blocking(outcomes).map((o) => o.rule.name), [], formatOutcomes(blocking(outcomes), stack, stack));
            });
        }
    }
});
