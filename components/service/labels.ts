import type { Color, ServiceSettings } from "../../config/sections/services";

/** The label that tells the two colors of a blue/green service apart. */
export const colorLabel = "platform.io/color";

/** Which Deployments a service runs: one for rolling, one per color for blue/green. */
export type Track = Color | "rolling";

/** Labels every object of the service carries. */
export function serviceLabels(service: string): Record<string, string> {
    return { "app.kubernetes.io/name": service, "app.kubernetes.io/part-of": "platform", "app.kubernetes.io/managed-by": "pulumi" };
}

/** The selector of a track's pods; a color's selector never matches the other color. */
export function podSelector(service: string, track: Track): Record<string, string> {
    return track === "rolling" ? { "app.kubernetes.io/name": service } : { "app.kubernetes.io/name": service, [colorLabel]: track };
}

/** The name of a track's Deployment, HPA and PDB. */
export function trackName(service: string, track: Track): string {
    return track === "rolling" ? service : `${service}-${track}`;
}

/** The tracks a service runs. */
export function tracksOf(settings: ServiceSettings): Track[] {
    return settings.strategy === "rolling" ? ["rolling"] : ["blue", "green"];
}

/** The color that is not `color`. */
export function otherColor(color: Color): Color {
    return color === "blue" ? "green" : "blue";
}

/** The image tag a track runs; undefined means the image built in this update. */
export function versionOf(settings: ServiceSettings, track: Track): string | undefined {
    return track === "rolling" ? settings.release.version : settings.release.versions[track];
}

