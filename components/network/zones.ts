import * as aws from "@pulumi/aws";
import { ConfigError } from "../../config";

/** The first `count` zones of the region, or the config problem that asks for more than it has. */
export function chooseZones(available: readonly string[], count: number, region: string): string[] | string {
    if (count > available.length) {
        return `network.availabilityZones: ${count} is more than the ${available.length} zones ${region} offers (${available.join(", ")})`;
    }
    return available.slice(0, count);
}

/**
 * Looks the region's zones up (never a hard-coded list), skipping opt-in Local and Wavelength
 * zones, and fails the update with a config error when the stack asks for more than exist.
 */
export async function lookupZones(count: number, stack: string, region: string, provider: aws.Provider): Promise<string[]> {
    const zones = await aws.getAvailabilityZones(
        { state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] },
        { provider },
    );
    const chosen = chooseZones([...zones.names].sort(), count, region);
    if (typeof chosen === "string") {
        throw new ConfigError(stack, [chosen]);
    }
    return chosen;
}
