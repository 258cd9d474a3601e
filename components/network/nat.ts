import type { NetworkSettings } from "../../config/sections/network";

/** The index of the zone whose NAT gateway a zone's private subnet routes through. */
export function natZoneFor(zone: number, strategy: NetworkSettings["natGateways"]): number {
    return strategy === "perAz" ? zone : 0;
}
