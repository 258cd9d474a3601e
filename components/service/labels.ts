import type { Color, ServiceSettings } from "../../config/sections/services";
import { type Track, trackName } from "./names";

export { type Track, trackName };

/** The label that tells the two colors of a blue/green service apart. */
export const colorLabel = "platform.io/color";

/** Labels every object of the service carries. */
export function serviceLabels(service: string): Record<string, string> {
    return { "app.kubernetes.io/name": service, "app.kubernetes.io/part-of": "platform", "app.kubernetes.io/managed-by": "pulumi" };
}

/** Labels of a track's own objects: the color's, so a reviewer and the tests can tell the colors apart. */
export function trackLabels(service: string, track: Track): Record<string, string> {
    return track === "rolling" ? serviceLabels(service) : { ...serviceLabels(service), [colorLabel]: track };
}

/** The selector of a track's pods; a color's selector never matches the other color, and never changes. */
export function podSelector(service: string, track: Track): Record<string, string> {
    return track === "rolling" ? { "app.kubernetes.io/name": service } : { "app.kubernetes.io/name": service, [colorLabel]: track };
}

/** The tracks a service runs. */
export function tracksOf(settings: ServiceSettings): Track[] {
    return settings.strategy === "rolling" ? ["rolling"] : ["blue", "green"];
}

/** The color that is not `color`. */
export function otherColor(color: Color): Color {
    return color === "blue" ? "green" : "blue";
}
