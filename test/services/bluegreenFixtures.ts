import type { Color, PodConfig } from "../../config/sections/services";
import { podConfigOf } from "../../components/service/colors";
import type { KubernetesObject } from "../../tools/engine/manifests";
import type { RenderQuery } from "../../tools/engine/query";
import { effectiveService } from "../../tools/release/plan";
import { destination, listenerRules, route } from "./albController";

/** The pod config a stack's `api` entry gives, every default applied. */
export function defaultPodConfig(profile: "dev" | "production"): PodConfig {
    const settings = effectiveService({ name: "api", source: "services/api" }, 0, profile);
    if ("refused" in settings) {
        throw new Error(settings.refused);
    }
    return podConfigOf(settings);
}

export interface Pin {
    readonly version: string;
    readonly number: number;
    readonly config?: PodConfig;
}

/** Overrides pinning both colors of the first service, `active` live. */
export function pinned(active: Color, blue: Pin, green: Pin, extra: Record<string, unknown> = {}, profile: "dev" | "production" = "production") {
    const record = (pin: Pin) => ({ number: pin.number, version: pin.version, config: pin.config ?? defaultPodConfig(profile) });
    return { "platform:services[0].release": { active, colors: { blue: record(blue), green: record(green) }, ...extra } };
}

export const containerOf = (deployment: KubernetesObject) => (deployment as any).spec.template.spec.containers[0];

/** Where the live listener sends a plain request, by Service: the share of 100 each gets. */
export function liveShares(q: RenderQuery, service = "api"): Record<string, number> {
    const [ingress] = q.objects("Ingress", service);
    const shares = destination(route(listenerRules(ingress, q.objects("Service")), { sourceIp: "203.0.113.9" }));
    if ("status" in shares) {
        throw new Error(`a plain request gets a fixed ${shares.status}`);
    }
    return shares;
}

/** The color whose target group gets every plain request; fails unless exactly one gets 100 and the other 0. */
export function liveColor(q: RenderQuery, service = "api"): Color {
    const shares = liveShares(q, service);
    const full = (["blue", "green"] as const).filter((c) => shares[`${service}-${c}`] === 100);
    const none = (["blue", "green"] as const).filter((c) => shares[`${service}-${c}`] === 0);
    if (full.length !== 1 || none.length !== 1) {
        throw new Error(`the live listener splits traffic: ${JSON.stringify(shares)}`);
    }
    return full[0];
}

/** The lines of a stack file outside the first service's `release:` block. */
export function outsideRelease(text: string): string[] {
    const lines = text.split("\n");
    const start = lines.findIndex((l) => /^ {6}release:/.test(l));
    if (start < 0) {
        return lines;
    }
    let end = start + 1;
    while (end < lines.length && /^ {7,}\S/.test(lines[end])) {
        end++;
    }
    return [...lines.slice(0, start), ...lines.slice(end)];
}

