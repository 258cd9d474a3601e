import isEqual from "lodash/isEqual";
import type { Profile } from "../../config";
import { formatPath, showValue } from "../../config/errors";
import { mergeOverDefaults } from "../../config/merge";
import { type Color, type ColorRelease, imageVersion, serviceDefaultsFor, type ServiceSettings, serviceSchema } from "../../config/sections/services";
import { podConfigHash, podConfigOf } from "../../components/service/colors";
import { otherColor } from "../../components/service/labels";
import type { Edit, StackService } from "./stackFile";

/** What an operator asks for. A release without a version ships the service's current settings with the live color's version. */
export type ReleaseAction = { kind: "release"; version?: string } | { kind: "promote" } | { kind: "rollback" };

/** What the live color runs while no release has pinned it: from the stack's `serviceVersions` output, or `--live-version`. */
export interface LiveRuns {
    readonly version: string;
    /** Digest of the pod config it runs (`podConfigHash`); absent: taken to be the stack file's settings. */
    readonly configHash?: string;
}

/** The edits an action makes, and what to tell the operator; or the reason it cannot be done, the file untouched. */
export type Plan = { edits: Edit[]; summary: string } | { refused: string };

/** The service entry with the profile's defaults laid under it, as the program will read it; or the config's own objections. */
export function effectiveService(service: StackService, index: number, profile: Profile): ServiceSettings | { refused: string } {
    const result = serviceSchema.safeParse(mergeOverDefaults(serviceDefaultsFor(profile), service), { reportInput: true });
    if (result.success) {
        return result.data;
    }
    const lines = result.error.issues.map((issue) => `services[${index}].${formatPath(issue.path)}: ${"input" in issue ? `${showValue(issue.input)} ` : ""}${issue.message}`);
    return { refused: lines.join("\n") };
}

/** True when a release of this service must first learn what its live color runs (no release has pinned it yet). */
export function needsLiveRuns(service: StackService, index: number, profile: Profile, action: ReleaseAction): boolean {
    const settings = effectiveService(service, index, profile);
    return action.kind === "release" && !("refused" in settings) && settings.strategy === "blueGreen" && settings.release.colors[settings.release.active] === undefined;
}

function versionProblem(flag: string, version: string): string | undefined {
    const result = imageVersion.safeParse(version);
    return result.success ? undefined : `${flag}: ${showValue(version)} ${result.error.issues[0].message}`;
}

/**
 * Plans a release, promotion or rollback of one service. A release pins the new version and the
 * service's current pod config on the idle color only; a promotion moves the traffic to the idle
 * color when it holds a newer release than the live one; a rollback returns to the color that was
 * live before the last promotion, once.
 */
export function planAction(service: StackService, index: number, profile: Profile, action: ReleaseAction, liveRuns?: LiveRuns): Plan {
    if (action.kind === "release" && action.version !== undefined) {
        const problem = versionProblem("--version", action.version);
        if (problem) {
            return { refused: problem };
        }
    }
    const settings = effectiveService(service, index, profile);
    if ("refused" in settings) {
        return settings;
    }
    const base = ["platform:services", index, "release"];
    if (settings.strategy === "rolling") {
        if (action.kind !== "release") {
            return { refused: `${settings.name} rolls in place; there is no other color to ${action.kind} to. Release the version to go to: --version <tag>` };
        }
        if (action.version === undefined) {
            return { refused: `${settings.name} rolls in place: name the version to roll out with --version <tag>` };
        }
        return { edits: [{ path: [...base, "version"], value: action.version }], summary: `${settings.name}: rolling out ${action.version}` };
    }
    const plan = action.kind === "release" ? planRelease(settings, action.version, liveRuns) : action.kind === "promote" ? planPromotion(settings) : planRollback(settings);
    if ("refused" in plan) {
        return plan;
    }
    return { edits: plan.edits.map((edit) => ({ ...edit, path: [...base, ...edit.path] })), summary: plan.summary };
}

function describe(color: Color, pinned: ColorRelease | undefined): string {
    return pinned ? `${color} (release ${pinned.number}, ${pinned.version})` : `${color} (this update's build)`;
}

function planRelease(settings: ServiceSettings, version: string | undefined, liveRuns: LiveRuns | undefined): Plan {
    const { name } = settings;
    const live = settings.release.active;
    const idle = otherColor(live);
    const pinned = settings.release.colors;
    const edits: Edit[] = [];
    let liveRelease = pinned[live];
    if (!liveRelease) {
        if (!liveRuns) {
            return {
                refused: `${name}: no release has pinned what the live color ${live} runs, and nothing says what it runs; pass --live-version <the tag it runs>`,
            };
        }
        const problem = versionProblem("--live-version", liveRuns.version);
        if (problem) {
            return { refused: problem };
        }
        // The live color stops following the build and the settings: it keeps exactly what it runs now.
        const config = podConfigOf(settings);
        if (liveRuns.configHash !== undefined && liveRuns.configHash !== podConfigHash(config)) {
            return {
                refused: `${name}: the live color ${live} runs other settings than the stack file now gives (edited since the last pulumi up?); deploy or revert them, then release`,
            };
        }
        liveRelease = { number: 1, version: liveRuns.version, config };
        edits.push({ path: ["colors", live], value: liveRelease });
    }
    const released: ColorRelease = {
        number: Math.max(liveRelease.number, pinned[idle]?.number ?? 0) + 1,
        version: version ?? liveRelease.version,
        config: podConfigOf(settings),
    };
    const current = pinned[idle];
    if (current && !current.rolledBack && current.number > liveRelease.number && current.version === released.version && isEqual(current.config, released.config)) {
        return { refused: `${name}: ${describe(idle, current)} already runs ${released.version} with these settings; promote it` };
    }
    edits.push({ path: ["colors", idle], value: released });
    if (settings.release.previous === idle) {
        // The rollback target is being replaced: there is no going back to it after this.
        edits.push({ path: ["previous"], remove: true });
    }
    const what = version === undefined ? `the current settings with the live version ${released.version}` : released.version;
    return {
        edits,
        summary: `${name}: release ${released.number}, ${what}, goes to the idle color ${idle}; ${live} keeps serving. Smoke-test it through the preview route, then promote.`,
    };
}

function planPromotion(settings: ServiceSettings): Plan {
    const { name } = settings;
    const live = settings.release.active;
    const idle = otherColor(live);
    const candidate = settings.release.colors[idle];
    const current = settings.release.colors[live];
    if (!candidate) {
        return { refused: `${name}: nothing has been released to the idle color ${idle}; npm run release first` };
    }
    if (candidate.rolledBack) {
        return { refused: `${name}: release ${candidate.number} on ${idle} was rolled back; release again before promoting` };
    }
    if (!current) {
        return { refused: `${name}: the live color ${live} is not pinned by a release, so it could not be returned to; release first` };
    }
    if (candidate.number <= current.number) {
        return { refused: `${name}: nothing newer to promote: ${describe(idle, candidate)} is older than the live ${describe(live, current)}` };
    }
    return {
        edits: [
            { path: ["active"], value: idle },
            { path: ["previous"], value: live },
        ],
        summary: `${name}: promoting ${describe(idle, candidate)}; ${describe(live, current)} stays up for npm run rollback`,
    };
}

function planRollback(settings: ServiceSettings): Plan {
    const { name } = settings;
    const live = settings.release.active;
    const previous = settings.release.previous;
    if (previous === undefined) {
        return { refused: `${name}: nothing to roll back to: no promotion since the last rollback, or the previous color has been released over since` };
    }
    const edits: Edit[] = [
        { path: ["active"], value: previous },
        { path: ["previous"], remove: true },
    ];
    if (settings.release.colors[live]) {
        edits.push({ path: ["colors", live, "rolledBack"], value: true });
    }
    return {
        edits,
        summary: `${name}: rolling back to ${describe(previous, settings.release.colors[previous])}; ${describe(live, settings.release.colors[live])} stays up, and promote refuses it until a new release`,
    };
}
