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

    it("rejects a Kubernetes version outside EKS standard support (1.34 left it on 2026-12-02)", async () => {
        assert.deepEqual(await configProblems("dev", { "platform:cluster.version": "1.34" }), [
            'cluster.version: "1.34" is not one of "1.35", "1.36"',
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

    it("rejects production node group sizes that do not split evenly over the zones, one node group per zone", async () => {
        const system = { name: "system", instanceTypes: ["m7i.large"], capacityType: "ON_DEMAND", minSize: 3, desiredSize: 4, maxSize: 9 };
        assert.deepEqual(await configProblems("production", { "platform:cluster.nodeGroups": [system] }), [
            "cluster.nodeGroups[0].desiredSize: 4 does not split evenly over 3 zones (cluster.nodeGroupPerZone); use a multiple of 3",
        ]);
    });

    it("rejects a node group name that would push its EKS name over 63 characters", async () => {
        const name = "a".repeat(21);
        assert.deepEqual(await configProblems("dev", { "platform:cluster.nodeGroups": [{ ...group, name }] }), [
            `cluster.nodeGroups[0].name: "${name}" is longer than 20 characters; the EKS node group name it is part of may have 63`,
        ]);
    });

    it("refuses a first up whose own role is listed as a viewer: EKS made it admin, and a second entry would collide", async () => {
        const creator = "arn:aws:iam::123456789012:role/platform-deployer";
        assert.deepEqual(await configProblems("dev", { "platform:cluster.viewerRoleArns": [creator] }, { clusters: [] }), [
            `cluster.viewerRoleArns[0]: "${creator}" is the role creating the cluster, which EKS makes admin itself; an access entry for it would fail. Remove it (it stays admin), or create the cluster from another role`,
        ]);
    });

    it("rejects a role named both admin and viewer: each role is one access entry", async () => {
        const admins = ["arn:aws:iam::111111111111:role/ci"];
        const viewers = ["arn:aws:iam::111111111111:role/ci"];
        assert.deepEqual(await configProblems("dev", { "platform:cluster.adminRoleArns": admins, "platform:cluster.viewerRoleArns": viewers }), [
            'cluster.viewerRoleArns[0]: "arn:aws:iam::111111111111:role/ci" names role ci again; each role gets one access entry',
        ]);
    });

    it("rejects two admin roles with one name: each is one access entry", async () => {
        const roles = ["arn:aws:iam::111111111111:role/admin", "arn:aws:iam::222222222222:role/admin"];
        assert.deepEqual(await configProblems("dev", { "platform:cluster.adminRoleArns": roles }), [
            'cluster.adminRoleArns[1]: "arn:aws:iam::222222222222:role/admin" names role admin again; each role gets one access entry',
        ]);
    });
});
