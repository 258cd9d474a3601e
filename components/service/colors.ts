import { type Color, colors, type PodConfig, podConfigShape, type ServiceSettings } from "../../config/sections/services";
import { otherColor, type Track } from "./labels";
import { contentHash } from "./names";

/** What one track runs: an image version and the settings its pods are made from. */
export interface TrackState {
    /** Image tag or digest. */
    readonly version: string;
    /** The service's settings with the track's own pod config laid over them. */
    readonly settings: ServiceSettings;
    /** The release number of a pinned color; absent for a rolling service or a color no release has pinned yet. */
    readonly number?: number;
}

/** The pod config a service's own settings give (what the next release pins on the idle color). */
export function podConfigOf(settings: ServiceSettings): PodConfig {
    const keys = Object.keys(podConfigShape) as (keyof typeof podConfigShape)[];
    const shaped = Object.fromEntries(keys.map((key) => [key, structuredClone(settings[key])])) as Omit<PodConfig, "database">;
    return { ...shaped, database: { passwordVersion: settings.database.passwordVersion } };
}

/** The service's settings with a color's pinned pod config laid over them. */
export function withPodConfig(settings: ServiceSettings, config: PodConfig): ServiceSettings {
    const { database, ...rest } = config;
    return { ...settings, ...structuredClone(rest), database: { ...settings.database, ...database } };
}

/** A short digest of a pod config, shown in `serviceVersions`: equal digests, equal pods (besides the image). */
export function podConfigHash(config: PodConfig): string {
    return contentHash(config);
}

/**
 * What each track runs. A rolling service runs `release.version` (or this update's build) with its
 * own settings. A blue/green color runs what `release.colors.<color>` pinned: its version and its
 * pod config, whatever the service's settings say now. A color no release pinned yet runs this
 * update's build with the service's settings (a stack's first deployment).
 */
export function trackStates(settings: ServiceSettings, buildTag: string): Map<Track, TrackState> {
    if (settings.strategy === "rolling") {
        return new Map([["rolling", { version: settings.release.version ?? buildTag, settings }]]);
    }
    return new Map(
        colors.map((color) => {
            const pinned = settings.release.colors[color];
            const state: TrackState = pinned
                ? { version: pinned.version, settings: withPodConfig(settings, pinned.config), number: pinned.number }
                : { version: buildTag, settings };
            return [color, state];
        }),
    );
}

/** The track that serves: a rolling service's one, or a blue/green service's live color. */
export function liveTrack(settings: ServiceSettings): Track {
    return settings.strategy === "rolling" ? "rolling" : settings.release.active;
}

/**
 * A version that has served the service's live traffic (what the role bootstrap may run): a
 * rolling service's; of a blue/green service with both colors released, the older release, which
 * was live when the newer one was released (a promotion goes to a higher number only, so a
 * rolled-back release is never the older one), so promote and rollback never change it; before
 * the first release, what the live color runs.
 */
export function servedVersion(settings: ServiceSettings, buildTag: string): string {
    const pinned = colors.map((color) => settings.release.colors[color]);
    if (settings.strategy === "blueGreen" && pinned[0] !== undefined && pinned[1] !== undefined) {
        return (pinned[0].number < pinned[1].number ? pinned[0] : pinned[1]).version;
    }
    return (trackStates(settings, buildTag).get(liveTrack(settings)) as TrackState).version;
}

/** The share of the live listener's requests each color's target group gets: all to the live color, none to the other. */
export function trafficWeights(live: Color): Record<Color, number> {
    return { [live]: 100, [otherColor(live)]: 0 } as Record<Color, number>;
}

/**
 * The fewest pods the HPA keeps on each track. With `blueGreen.idleCapacity: ceiling` every color
 * keeps the most the live color may scale to, so neither a promotion nor a rollback moves the
 * traffic onto fewer pods than serve it; the HPAs never change at a cutover, only the weights do.
 */
export function podFloor(settings: ServiceSettings, track: Track): number {
    const { minReplicas, maxReplicas } = settings.autoscaling;
    return track !== "rolling" && settings.blueGreen.idleCapacity === "ceiling" ? maxReplicas : minReplicas;
}
