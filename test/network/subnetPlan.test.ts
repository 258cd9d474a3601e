import { strict as assert } from "assert";
import fc from "fast-check";
import { blockSize, formatBlock, largestVpcPrefix, parseBlock, planSubnets, slotsFor, smallestSubnetPrefix, tiers } from "../../components/network/subnetPlan";

const range = (cidr: string) => {
    const block = parseBlock(cidr);
    return { first: block.address, last: block.address + blockSize(block) - 1 };
};

/** A VPC block that can hold `zones` zones: a random network address and a prefix from /16 to the largest allowed. */
const vpcAndZones = fc.integer({ min: 2, max: 6 }).chain((zones) =>
    fc.record({
        zones: fc.constant(zones),
        prefix: fc.integer({ min: 16, max: largestVpcPrefix(zones) }),
        address: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
    }),
);

const cidrOf = ({ address, prefix }: { address: number; prefix: number }) =>
    formatBlock({ address: address - (address % 2 ** (32 - prefix)), prefix });

describe("subnet plan", () => {
    it("gives every tier one subnet per zone", () => {
        fc.assert(
            fc.property(vpcAndZones, (v) => {
                const plan = planSubnets(cidrOf(v), v.zones);
                return tiers.every((tier) => plan[tier].length === v.zones);
            }),
        );
    });

    it("keeps every subnet inside the VPC and no two overlapping", () => {
        fc.assert(
            fc.property(vpcAndZones, (v) => {
                const vpc = range(cidrOf(v));
                const subnets = tiers.flatMap((tier) => planSubnets(cidrOf(v), v.zones)[tier]).map(range);
                const inside = subnets.every((s) => s.first >= vpc.first && s.last <= vpc.last);
                const sorted = [...subnets].sort((a, b) => a.first - b.first);
                const disjoint = sorted.every((s, i) => i === 0 || sorted[i - 1].last < s.first);
                return inside && disjoint;
            }),
        );
    });

    it("never plans a subnet smaller than AWS allows", () => {
        fc.assert(
            fc.property(vpcAndZones, (v) =>
                tiers.every((tier) => planSubnets(cidrOf(v), v.zones)[tier].every((s) => parseBlock(s).prefix <= smallestSubnetPrefix)),
            ),
        );
    });

    it("leaves existing subnets where they are when a zone is added", () => {
        fc.assert(
            fc.property(vpcAndZones, (v) => {
                // Up to the number of slots reserved per tier (four zones, then eight).
                fc.pre(slotsFor(v.zones) === slotsFor(v.zones + 1));
                const before = planSubnets(cidrOf(v), v.zones);
                const after = planSubnets(cidrOf(v), v.zones + 1);
                return tiers.every((tier) => before[tier].every((cidr, i) => after[tier][i] === cidr));
            }),
        );
    });

    it("gives the private tier, where pods take addresses, the most room", () => {
        const plan = planSubnets("10.0.0.0/16", 3);
        assert.ok(blockSize(parseBlock(plan.private[0])) > blockSize(parseBlock(plan.public[0])));
        assert.ok(blockSize(parseBlock(plan.private[0])) > blockSize(parseBlock(plan.isolated[0])));
    });

    it("refuses a VPC too small for the zones", () => {
        assert.throws(() => planSubnets("10.0.0.0/24", 3), /too small for 3 zones; use a \/23 or larger/);
    });
});
