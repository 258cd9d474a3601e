import type { Rendered } from "./model";
import { reveal } from "./wire";

/**
 * What one service runs, as the stack output `serviceVersions` reports it: each track (`rolling`,
 * or the colors `blue` and `green`) with its image version (the track's value, or its `version`),
 * and `live`, the track that takes the traffic (the only track when there is one). A map of
 * numbers (track → percent), when present, says how traffic is split.
 */
interface Running {
    versions: Record<string, string>;
    live?: string;
    weights?: Record<string, number>;
}

/** Keys of a service's entry that describe it rather than name a track. */
const descriptive = new Set(["live", "strategy", "previous"]);

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

function runningOf(entry: unknown): Running | undefined {
    if (!isRecord(entry)) {
        return undefined;
    }
    const versions: Record<string, string> = {};
    let weights: Record<string, number> | undefined;
    for (const [key, value] of Object.entries(entry)) {
        if (descriptive.has(key)) {
            continue;
        }
        if (typeof value === "string") {
            versions[key] = value;
        } else if (isRecord(value) && typeof value.version === "string") {
            versions[key] = value.version;
        } else if (isRecord(value) && Object.values(value).every((v) => typeof v === "number")) {
            weights = value as Record<string, number>;
        }
    }
    const tracks = Object.keys(versions);
    const live = typeof entry.live === "string" ? entry.live : tracks.length === 1 ? tracks[0] : undefined;
    return { versions, live, weights };
}

/** Every service's {@link Running} in a render, by name; empty when the render has no `serviceVersions`. */
export function servicesRunning(rendered: Rendered): Map<string, Running> {
    const output = reveal(rendered.outputs.serviceVersions);
    const entries = typeof output === "object" && output !== null ? Object.entries(output as Record<string, unknown>) : [];
    return new Map(entries.flatMap(([name, entry]) => (runningOf(entry) ? [[name, runningOf(entry) as Running]] : [])));
}

const shown = (version: string | undefined) => version ?? "nothing";

function trafficText(running: Running): string {
    if (running.weights && Object.keys(running.weights).length > 0) {
        return Object.entries(running.weights)
            .filter(([, weight]) => weight > 0)
            .map(([track, weight]) => `${weight}% ${track} (${shown(running.versions[track])})`)
            .join(", ");
    }
    return running.live ? `${running.live} (${shown(running.versions[running.live])})` : "no track";
}

/** One sentence on what changes for a service: which track gets which version, and where traffic goes. */
export function serviceSentence(name: string, before: Running | undefined, after: Running | undefined): string | undefined {
    if (!after) {
        return before ? `${name}: removed` : undefined;
    }
    const tracks = Object.keys(after.versions);
    if (!before) {
        return `${name}: new, runs ${tracks.map((t) => `${t} ${after.versions[t]}`).join(", ")}; traffic to ${trafficText(after)}`;
    }
    const single = tracks.length === 1 && tracks[0] === after.live;
    const releases = tracks
        .filter((track) => before.versions[track] !== after.versions[track])
        .map((track) => {
            const role = single ? "" : track === after.live ? " (live)" : " (idle: preview only)";
            return `${single ? "" : `${track}${role} `}${shown(before.versions[track])} → ${after.versions[track]}`;
        });
    const trafficBefore = trafficText(before);
    const trafficAfter = trafficText(after);
    const sameTracks = before.live === after.live && JSON.stringify(before.weights) === JSON.stringify(after.weights);
    const traffic =
        trafficBefore === trafficAfter
            ? `traffic stays on ${trafficAfter}`
            : sameTracks
              ? `traffic stays on ${after.weights ? trafficAfter : `${after.live}, now ${shown(after.versions[after.live ?? ""])}`}`
              : `traffic ${trafficBefore} → ${trafficAfter}`;
    if (releases.length === 0 && trafficBefore === trafficAfter) {
        return undefined;
    }
    if (single) {
        return `${name}: rolls ${releases.join(", ")}; traffic moves to the new pods as they become ready`;
    }
    return `${name}: ${[...releases, traffic].join("; ")}`;
}

/** One line per service whose versions or traffic change between two renders; empty when none does. */
export function releaseSummary(base: Rendered, head: Rendered): string[] {
    const before = servicesRunning(base);
    const after = servicesRunning(head);
    const names = [...new Set([...before.keys(), ...after.keys()])].sort();
    return names.flatMap((name) => serviceSentence(name, before.get(name), after.get(name)) ?? []);
}
