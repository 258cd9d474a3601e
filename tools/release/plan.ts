import type { Profile } from "../../config";
import { showValue } from "../../config/errors";
import { type Color, imageVersion, serviceDefaultsFor } from "../../config/sections/services";

/** What an operator asks for. */
export type ReleaseAction = { kind: "release"; version: string; liveVersion?: string } | { kind: "promote" } | { kind: "rollback" };

/** One change to the stack file: a path under `config` and its new value. */
export interface Edit {
    readonly path: (string | number)[];
    readonly value: string;
}

/** The edits an action makes, and what to tell the operator; or the reason it cannot be done. */
export type Plan = { edits: Edit[]; summary: string } | { refused: string };

/** A service entry as the stack file holds it: only what it sets. */
export interface StackService {
    name?: string;
    strategy?: string;
    release?: { version?: string; active?: string; versions?: { blue?: string; green?: string } };
}

const other = (color: Color): Color => (color === "blue" ? "green" : "blue");

/**
 * Plans a release, promotion or rollback of one service in a stack's config. A release only ever
 * touches the idle color (or the version of a rolling service); promotion and rollback only the
 * active color, so the previous color is still there, at full size, to switch back to.
 */
export function planAction(service: StackService, index: number, profile: Profile, action: ReleaseAction): Plan {
    const badVersion = action.kind === "release" ? versionProblem(action) : undefined;
    if (badVersion) {
        return { refused: badVersion };
    }
    const strategy = service.strategy ?? serviceDefaultsFor(profile).strategy;
    const base = ["platform:services", index, "release"];
    const name = service.name ?? `services[${index}]`;
    if (strategy === "rolling") {
        if (action.kind !== "release") {
            return { refused: `${name} rolls; there is no idle color to ${action.kind} to. Release the version to go back to: --version <tag>` };
        }
        return { edits: [{ path: [...base, "version"], value: action.version }], summary: `${name}: rolling out ${action.version}` };
    }
    const active: Color = service.release?.active === "green" ? "green" : "blue";
    const idle = other(active);
    const versions = service.release?.versions ?? {};
    if (action.kind === "release") {
        const edits: Edit[] = [{ path: [...base, "versions", idle], value: action.version }];
        if (versions[active] === undefined) {
            if (action.liveVersion === undefined) {
                return {
                    refused: `${name}: the live color ${active} has no pinned version and would follow the next build; pass --live-version <the tag it runs> (pulumi stack output serviceVersions)`,
                };
            }
            edits.unshift({ path: [...base, "versions", active], value: action.liveVersion });
        }
        return { edits, summary: `${name}: ${action.version} goes to the idle color ${idle}; ${active} keeps serving. Smoke-test it with the X-Platform-Preview: true header, then promote.` };
    }
    if (versions[idle] === undefined) {
        return { refused: `${name}: the idle color ${idle} has no pinned version; release one first` };
    }
    const verb = action.kind === "promote" ? "promoting" : "rolling back to";
    return {
        edits: [{ path: [...base, "active"], value: idle }],
        summary: `${name}: ${verb} ${idle} (${versions[idle]}); ${active} (${versions[active] ?? "this update's build"}) stays up for the way back`,
    };
}

/** Why a release's versions would not pass the stack's config, or undefined; the file stays untouched then. */
function versionProblem(action: { version: string; liveVersion?: string }): string | undefined {
    const flags: [string, string | undefined][] = [["--version", action.version], ["--live-version", action.liveVersion]];
    for (const [flag, version] of flags) {
        const result = version === undefined ? undefined : imageVersion.safeParse(version);
        if (result && !result.success) {
            return `${flag}: ${showValue(version)} ${result.error.issues[0].message}`;
        }
    }
    return undefined;
}
