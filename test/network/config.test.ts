import { strict as assert } from "assert";
import { configProblems, renderFailure } from "../harness";

describe("network configuration", () => {
    it("rejects a CIDR that is not IPv4", async () => {
        assert.deepEqual(await configProblems("dev", { "platform:network.cidr": "10.0.0.0/33" }), [
            'network.cidr: "10.0.0.0/33" is not an IPv4 CIDR',
        ]);
    });

    it("suggests the network address when host bits are set", async () => {
        assert.deepEqual(await configProblems("dev", { "platform:network.cidr": "10.0.8.0/16" }), [
            'network.cidr: "10.0.8.0/16" has host bits set; did you mean 10.0.0.0/16?',
        ]);
    });

    it("rejects a VPC too small to hold the subnets of its zones", async () => {
        assert.deepEqual(await configProblems("production", { "platform:network.cidr": "10.0.0.0/24" }), [
            'network.cidr: "10.0.0.0/24" is too small for subnets in 3 zones; use a /23 or larger',
        ]);
    });

    it("rejects a zone count outside 2 to 6", async () => {
        assert.deepEqual(await configProblems("dev", { "platform:network.availabilityZones": 1 }), [
            "network.availabilityZones: 1 is below the minimum 2",
        ]);
    });

    it("rejects more zones than the region offers, before creating anything", async () => {
        const failure = await renderFailure("dev", { "platform:network.availabilityZones": 4 });
        assert.deepEqual((failure.cause as { problems: string[] }).problems, [
            "network.availabilityZones: 4 is more than the 3 zones eu-west-1 offers (eu-west-1a, eu-west-1b, eu-west-1c)",
        ]);
        assert.ok(!failure.registered.some((r) => r.type.startsWith("aws:ec2")), "no network resource was registered");
    });

    it("rejects an unknown NAT strategy", async () => {
        assert.deepEqual(await configProblems("dev", { "platform:network.natGateways": "one" }), [
            'network.natGateways: "one" is not one of "single", "perAz"',
        ]);
    });

    it("rejects a flow log retention CloudWatch does not offer", async () => {
        const [problem] = await configProblems("dev", { "platform:network.flowLogs.retentionDays": 10 });
        assert.match(problem, /^network\.flowLogs\.retentionDays: 10 is not one of 1, 3, 5, 7, 14, 30/);
    });
});
