import type { ServiceSettings } from "../../config/sections/services";
import { isDigest } from "./reference";

/**
 * The tags a service's repository must keep whatever else is pushed: this update's build and every
 * version its release pins (a rolling `release.version`, each color's `version`, which covers the
 * live color and the one `rollback` returns to). A version pinned by digest is left out: a
 * lifecycle rule selects images by tag only.
 */
export function keptTags(service: Pick<ServiceSettings, "release">, buildTag: string): string[] {
    const pinned = [service.release.version, ...Object.values(service.release.colors).map((color) => color?.version)];
    return [...new Set([buildTag, ...pinned])].filter((v): v is string => v !== undefined && !isDigest(v)).sort();
}
