import type { ServiceSettings } from "../../config/sections/services";
import { isDigest } from "./reference";

/** Every version a service's release pins: a rolling `release.version`, each color's `version` (the live color and the one `rollback` returns to). */
function pinnedVersions(service: Pick<ServiceSettings, "release">): string[] {
    return [service.release.version, ...Object.values(service.release.colors).map((color) => color?.version)].filter((v): v is string => v !== undefined);
}

/**
 * The tags a service's repository must keep whatever else is pushed: this update's build and every
 * version its release pins by tag. A lifecycle rule selects images by tag only, so a version pinned
 * by digest is kept through the tags its image carries ({@link pinnedDigests}).
 */
export function keptTags(service: Pick<ServiceSettings, "release">, buildTag: string): string[] {
    return [...new Set([buildTag, ...pinnedVersions(service)])].filter((v) => !isDigest(v)).sort();
}

/** The versions a service's release pins by `sha256:` digest. */
export function pinnedDigests(service: Pick<ServiceSettings, "release">): string[] {
    return [...new Set(pinnedVersions(service).filter(isDigest))].sort();
}
