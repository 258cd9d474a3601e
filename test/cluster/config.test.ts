import { strict as assert } from "assert";
import { configProblems } from "../harness";

const group = { name: "spot", instanceTypes: ["t3.large"], capacityType: "SPOT", minSize: 1, desiredSize: 2, maxSize: 3 };

describe("cluster configuration", () => {
    it("rejects node group sizes that contradict each other", async () => {
        assert.deepEqual(await configProblems("dev", { "platform:cluster.nodeGroups": [{ ...group, minSize: 4, desiredSize: 3, maxSize: 2 }] }), [
            "cluster.nodeGroups[0].minSize: 4 is above desiredSize 3",
            "cluster.nodeGroups[0].desiredSize: 3 is above maxSize 2",
        ]);
    });

    it("rejects an empty instance type list", async () => {
        assert.deepEqual(await configProblems("dev", { "platform:cluster.nodeGroups": [{ ...group, instanceTypes: [] }] }), [
            "cluster.nodeGroups[0].instanceTypes: [] needs at least 1 item",
        ]);
    });

    it("rejects an unknown capacity type", async () => {
        assert.deepEqual(await configProblems("dev", { "platform:cluster.nodeGroups": [{ ...group, capacityType: "RESERVED" }] }), [
            'cluster.nodeGroups[0].capacityType: "RESERVED" is not one of "ON_DEMAND", "SPOT"',
        ]);
    });

    it("rejects a Kubernetes version outside standard support", async () => {
        assert.deepEqual(await configProblems("dev", { "platform:cluster.version": "1.29" }), [
            'cluster.version: "1.29" is not one of "1.34", "1.35"',
        ]);
    });

    it("rejects a public access CIDR that is not a CIDR", async () => {
        assert.deepEqual(await configProblems("production", { "platform:cluster.publicAccessCidrs": ["203.0.113.7"] }), [
            'cluster.publicAccessCidrs[0]: "203.0.113.7" is not an IPv4 CIDR',
        ]);
    });

    it("rejects two node groups with one name", async () => {
        assert.deepEqual(await configProblems("dev", { "platform:cluster.nodeGroups": [group, group] }), [
            'cluster.nodeGroups[1].name: "spot" is the name of another node group too',
        ]);
    });
});
