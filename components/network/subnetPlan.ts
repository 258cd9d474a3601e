// The subnet layout of the VPC: which CIDR each tier gets in each zone. Pure, so it is tested
// with properties rather than trusted.

/** The three kinds of subnet: public (load balancers, NAT), private (nodes and pods), isolated (database). */
export const tiers = ["public", "private", "isolated"] as const;
export type Tier = (typeof tiers)[number];

/** An IPv4 block as a 32-bit network address and a prefix length. */
export interface Block {
    readonly address: number;
    readonly prefix: number;
}

/** The CIDR of each tier's subnet in each zone, zones in the order given. */
export type SubnetPlan = Record<Tier, string[]>;

/** AWS accepts no subnet smaller than a /28. */
export const smallestSubnetPrefix = 28;

// Share of the VPC per tier, as the number of halvings: private gets half (pods take one
// address each), public and isolated an eighth each, and a quarter stays free for growth.
const tierOffset: Record<Tier, { halvings: number; eighth: number }> = {
    private: { halvings: 1, eighth: 0 },
    public: { halvings: 3, eighth: 4 },
    isolated: { halvings: 3, eighth: 5 },
};

export function parseBlock(cidr: string): Block {
    const [ip, prefix] = cidr.split("/");
    const address = ip.split(".").reduce((sum, octet) => sum * 256 + Number(octet), 0);
    return { address, prefix: Number(prefix) };
}

export function formatBlock(block: Block): string {
    const octets = [24, 16, 8, 0].map((shift) => Math.floor(block.address / 2 ** shift) % 256);
    return `${octets.join(".")}/${block.prefix}`;
}

/** The number of addresses in a block. */
export function blockSize(block: Block): number {
    return 2 ** (32 - block.prefix);
}

/** Each tier reserves a slot per zone up to a power of two, so zones can be added without renumbering. */
export function slotsFor(zones: number): number {
    return Math.max(4, 2 ** Math.ceil(Math.log2(zones)));
}

/** The prefix length of the smallest subnet the plan would make. */
export function smallestPlannedPrefix(vpcPrefix: number, zones: number): number {
    return vpcPrefix + 3 + Math.log2(slotsFor(zones));
}

/** The largest VPC prefix length that still holds the subnets of `zones` zones. */
export function largestVpcPrefix(zones: number): number {
    return smallestSubnetPrefix - 3 - Math.log2(slotsFor(zones));
}

/** True when the address has no bits set below the prefix. */
export function isNetworkAddress(block: Block): boolean {
    return block.address % blockSize(block) === 0;
}

/**
 * Splits the VPC into tiers and zones: each tier's share is cut into equal slots, one per zone,
 * so no two subnets overlap and each lies inside the VPC.
 */
export function planSubnets(vpcCidr: string, zones: number): SubnetPlan {
    const vpc = parseBlock(vpcCidr);
    if (smallestPlannedPrefix(vpc.prefix, zones) > smallestSubnetPrefix) {
        throw new RangeError(`${vpcCidr} is too small for ${zones} zones; use a /${largestVpcPrefix(zones)} or larger`);
    }
    const slotHalvings = Math.log2(slotsFor(zones));
    const plan = {} as SubnetPlan;
    for (const tier of tiers) {
        const { halvings, eighth } = tierOffset[tier];
        const start = vpc.address + (blockSize(vpc) / 8) * eighth;
        const prefix = vpc.prefix + halvings + slotHalvings;
        plan[tier] = Array.from({ length: zones }, (_, zone) => formatBlock({ address: start + zone * 2 ** (32 - prefix), prefix }));
    }
    return plan;
}
