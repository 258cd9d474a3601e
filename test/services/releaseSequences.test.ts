import { strict as assert } from "assert";
import fc from "fast-check";
import * as fs from "fs";
import isEqual from "lodash/isEqual";
import type { Color, PodConfig, ServiceSettings } from "../../config/sections/services";
import { podConfigHash, podConfigOf } from "../../components/service/colors";
import { platformEnvNames } from "../../config/sections/serviceChecks";
import { otherColor } from "../../components/service/labels";
import { diffRenders } from "../../tools/engine/diff";
import type { KubernetesObject } from "../../tools/engine/manifests";
import { fakeImageDigest } from "../../tools/engine/outputs/images";
import type { RenderQuery } from "../../tools/engine/query";
import { liveRunsFrom } from "../../tools/release";
import { effectiveService, type LiveRuns, planAction } from "../../tools/release/plan";
import { applyEdits, readStackFile } from "../../tools/release/stackFile";
import { projectDir, render } from "../harness";
import { containerOf, liveColor, outsideRelease } from "./bluegreenFixtures";
import { neverExpires, renderedRules } from "../image/ecrLifecycle";

// Random sequences of release / config change / promote / rollback, run through the same plan and
// stack-file editor as `npm run release|promote|rollback`, against a model of what the history means.

type Command =
    | { kind: "release"; version: string }
    | { kind: "change"; edit: { path: (string | number)[]; value: unknown } }
    | { kind: "promote" }
    | { kind: "rollback" };

const versions = ["src-aaaaaaaaaaaaaaaa", "src-bbbbbbbbbbbbbbbb", "src-cccccccccccccccc"];
/** A change of the service's own pod settings, each to a value it is unlikely to hold already. */
const configEdit: fc.Arbitrary<{ path: (string | number)[]; value: unknown }> = fc.oneof(
    fc.integer({ min: 1, max: 999 }).map((n) => ({ path: ["env"], value: { FEATURE: `v${n}` } })),
    fc.integer({ min: 100, max: 900 }).map((n) => ({ path: ["resources", "requests", "cpu"], value: `${n}m` })),
    fc.integer({ min: 1, max: 60 }).map((n) => ({ path: ["probes", "periodSeconds"], value: n })),
    fc.constantFrom([], ["API_KEY"]).map((value) => ({ path: ["secrets"], value })),
);
const command: fc.Arbitrary<Command> = fc.oneof(
    fc.constantFrom(...versions).map((version) => ({ kind: "release" as const, version })),
    configEdit.map((edit) => ({ kind: "change" as const, edit })),
    fc.constant({ kind: "promote" as const }),
    fc.constant({ kind: "rollback" as const }),
);

/** A sequence through every transition: release, config change on the idle color, promote, rollback, refusals. */
const everyTransition: Command[] = [
    { kind: "release", version: versions[0] },
    { kind: "change", edit: { path: ["env"], value: { FEATURE: "on" } } },
    { kind: "promote" },
    { kind: "change", edit: { path: ["secrets"], value: ["API_KEY"] } },
    { kind: "promote" },
    { kind: "rollback" },
    { kind: "rollback" },
    { kind: "promote" },
    { kind: "release", version: versions[1] },
    { kind: "promote" },
];

interface Pinned {
    number: number;
    version: string;
    config: PodConfig;
    rolledBack?: boolean;
}

/** What the history means, kept independently of the stack file. */
interface Model {
    live: Color;
    previous?: Color;
    colors: Partial<Record<Color, Pinned>>;
}

/** One step as the operator takes it: the stack file as the command found it and left it, and the history before and after. */
interface Step {
    command: Command;
    refused: boolean;
    found: string;
    after: string;
    was: Model;
    model: Model;
}

const secretValues = { "platform:serviceSecrets": { api: { API_KEY: { secure: "v1:ciphertext" } } } };

/** The shipped stack file of a profile, blue/green, before any release. */
function startingText(profile: "dev" | "production"): string {
    const text = fs.readFileSync(`${projectDir}/Pulumi.${profile}.yaml`, "utf8");
    return profile === "dev" ? applyEdits(text, [{ path: ["platform:services", 0, "strategy"], value: "blueGreen" }]) : text;
}

/** What the model says a command does, or undefined when the command must be refused. */
function expected(model: Model, command: Command, settingsConfig: PodConfig, deployed: Pinned): Model | undefined {
    const idle = otherColor(model.live);
    const live = model.colors[model.live] ?? deployed;
    switch (command.kind) {
        case "release":
        case "change": {
            if (!model.colors[model.live] && !isEqual(settingsConfig, deployed.config)) {
                return undefined; // the stack file no longer says what the unpinned live color runs
            }
            const version = command.kind === "release" ? command.version : live.version;
            const current = model.colors[idle];
            if (current && !current.rolledBack && current.number > live.number && current.version === version && isEqual(current.config, settingsConfig)) {
                return undefined;
            }
            const released = { number: Math.max(live.number, current?.number ?? 0) + 1, version, config: settingsConfig };
            return { live: model.live, previous: model.previous === idle ? undefined : model.previous, colors: { [model.live]: live, [idle]: released } };
        }
        case "promote": {
            const candidate = model.colors[idle];
            const current = model.colors[model.live];
            if (!candidate || candidate.rolledBack || !current || candidate.number <= current.number) {
                return undefined;
            }
            return { ...model, live: idle, previous: model.live };
        }
        case "rollback": {
            if (model.previous === undefined) {
                return undefined;
            }
            const left = model.colors[model.live];
            return { live: model.previous, colors: { ...model.colors, ...(left ? { [model.live]: { ...left, rolledBack: true } } : {}) } };
        }
    }
}

/**
 * Runs the commands through the release tooling, checking each against the model; returns the steps.
 * `liveRuns` is what the stack's outputs say the live color runs before the first release.
 */
function runCommands(profile: "dev" | "production", commands: Command[], liveRuns: LiveRuns): Step[] {
    const deployed: Pinned = { number: 1, version: liveRuns.version, config: startingConfig(profile) };
    let text = startingText(profile);
    let model: Model = { live: "blue", colors: {} };
    const steps: Step[] = [];
    for (const command of commands) {
        const unedited = text;
        if (command.kind === "change") {
            // The operator edits the service's settings, then ships them with `npm run release` and no version.
            text = applyEdits(text, [{ path: ["platform:services", 0, ...command.edit.path], value: command.edit.value }]);
        }
        const found = text;
        const was = model;
        const service = readStackFile(text).services[0];
        const settings = effectiveService(service, 0, profile);
        assert.ok(!("refused" in settings), "refused" in settings ? settings.refused : "");
        const settingsConfig = podConfigOf(settings as ServiceSettings);
        const plan = planAction(service, 0, profile, command.kind === "release" ? command : command.kind === "change" ? { kind: "release" } : command, liveRuns);
        const next = expected(model, command, settingsConfig, deployed);
        assert.equal("refused" in plan, next === undefined, `${JSON.stringify(command)} on ${JSON.stringify(model)}: ${"refused" in plan ? plan.refused : "accepted"}`);
        if ("edits" in plan) {
            const edited = applyEdits(text, plan.edits);
            const release = (readStackFile(edited).services[0].release ?? {}) as Record<string, unknown>;
            const pinned = (release.colors ?? {}) as Model["colors"];
            assert.deepEqual({ live: release.active ?? "blue", previous: release.previous, colors: pinned }, { ...next, previous: next?.previous }, JSON.stringify(command));
            text = edited;
            model = next as Model;
        }
        steps.push({ command, refused: "refused" in plan, found, after: text, was, model });
        if ("refused" in plan) {
            text = unedited; // the operator puts the settings back
        }
    }
    return steps;
}

describe("release histories (plans, many sequences)", () => {
    for (const profile of ["dev", "production"] as const) {
        it(`${profile}: every command does what the history says, or is refused when the history says so`, () => {
            const liveRuns = { version: "src-0000000000000000", configHash: podConfigHash(startingConfig(profile)) };
            fc.assert(
                fc.property(fc.array(command, { minLength: 1, maxLength: 12 }), (commands) => {
                    for (const step of runCommands(profile, commands, liveRuns)) {
                        // Refused: the file as it was. Accepted: only the service's release block changed, byte for byte elsewhere.
                        assert.deepEqual(outsideRelease(step.after), outsideRelease(step.found));
                        assert.ok(!step.refused || step.after === step.found);
                        if (step.command.kind === "release" || step.command.kind === "change") {
                            assert.equal(step.model.live, step.was.live, "a release never moves the traffic");
                            assert.deepEqual(step.model.colors[step.was.live] ?? step.was.colors[step.was.live], step.was.colors[step.was.live] ?? step.model.colors[step.was.live], "nor changes the live color");
                        }
                    }
                }),
                { numRuns: 150, examples: [[everyTransition]] },
            );
        });
    }
});

function startingConfig(profile: "dev" | "production"): PodConfig {
    const settings = effectiveService(readStackFile(startingText(profile)).services[0], 0, profile);
    if ("refused" in settings) {
        throw new Error(settings.refused);
    }
    return podConfigOf(settings);
}

async function renderText(profile: "dev" | "production", text: string): Promise<RenderQuery> {
    return render(profile, { "platform:services": readStackFile(text).services, ...secretValues });
}

/** Names of the ConfigMap and Secrets a Deployment's pods read. */
function readsOf(deployment: KubernetesObject | undefined): string[] {
    const pod = (deployment as any)?.spec.template.spec;
    return pod ? [containerOf(deployment as KubernetesObject).envFrom[0].configMapRef.name, ...pod.volumes.flatMap((v: any) => (v.secret ? [v.secret.secretName] : []))] : [];
}

/** Fails unless the live color runs exactly the version and pod config the model says. */
function assertLiveRuns(q: RenderQuery, model: Model, liveRuns: LiveRuns, profile: "dev" | "production"): void {
    const live = liveColor(q);
    assert.equal(live, model.live, "the live listener forwards to the color the history says");
    const pinned = model.colors[live] ?? { version: liveRuns.version, config: startingConfig(profile) };
    const deployment = q.objects("Deployment", `api-${live}`)[0];
    const repository = String(q.ofType("aws:ecr/repository:Repository")[0].inputs.name);
    const container = containerOf(deployment);
    assert.ok(container.image.endsWith(`@${fakeImageDigest(repository, pinned.version)}`), `${live} runs ${pinned.version}`);
    for (const color of Object.values(model.colors)) {
        assert.ok(neverExpires(renderedRules(q), color.version), `ECR never expires ${color.version}, which a color runs`);
    }
    const data = (q.objects("ConfigMap", container.envFrom[0].configMapRef.name)[0] as any).data;
    const platformKeys = new Set(platformEnvNames({ env: {}, secrets: [] }));
    assert.deepEqual(Object.fromEntries(Object.entries(data).filter(([k]) => !platformKeys.has(k))), pinned.config.env);
    assert.equal(container.resources.requests.cpu, pinned.config.resources.requests.cpu);
    assert.equal(container.readinessProbe.periodSeconds, pinned.config.probes.periodSeconds);
    assert.deepEqual(container.env.filter((e: any) => !e.name.startsWith("DATABASE_")).map((e: any) => e.name.replace(/_FILE$/, "")), pinned.config.secrets);
    if (profile === "production") {
        // Cutover capacity: whichever way the next promotion or rollback goes, it lands on at least as many pods.
        const hpa = (color: Color) => (q.objects("HorizontalPodAutoscaler", `api-${color}`)[0] as any).spec;
        assert.ok(hpa(otherColor(live)).minReplicas >= hpa(live).maxReplicas, "the idle color is sized for the cutover");
    }
}

/**
 * Fails unless going from `before` to `after` touches only objects of the idle color, besides the
 * role bootstrap Job moving onto the image the live color runs (a release makes the live color's
 * release the older one: components/service/colors.ts, servedVersion).
 */
function assertIdleOnly(before: RenderQuery, after: RenderQuery, idle: Color): void {
    const diff = diffRenders(before.rendered, after.rendered);
    const live = otherColor(idle);
    const bootstrap = diff.changed.find((c) => c.type === "kubernetes:batch/v1:Job" && c.name === "api-roles");
    if (bootstrap) {
        const image = (after.one("kubernetes:batch/v1:Job", "api-roles").inputs as any).spec.template.spec.containers[0].image;
        assert.equal(image, containerOf(after.objects("Deployment", `api-${live}`)[0]).image, "the role bootstrap runs what the live color runs");
        assert.deepEqual(bootstrap.fields.map((f) => f.path), ["inputs.spec.template.spec.containers[name=bootstrap].image"]);
    }
    const liveReads = new Set([...readsOf(before.objects("Deployment", `api-${live}`)[0]), ...readsOf(after.objects("Deployment", `api-${live}`)[0])]);
    const touched = [...diff.added, ...diff.removed, ...diff.changed].filter((r) => r !== bootstrap).map((r) => ({ type: r.type, name: r.name }));
    // A release also changes which versions the repository's lifecycle policy keeps (assertLiveRuns checks them).
    for (const { type, name } of touched.filter((r) => r.type !== "aws:ecr/lifecyclePolicy:LifecyclePolicy")) {
        const configObject = type === "kubernetes:core/v1:ConfigMap" || type === "kubernetes:core/v1:Secret";
        assert.ok(configObject ? !liveReads.has(name) : name === `api-${idle}`, `${type} ${name} is not the idle color's`);
    }
}

/** Fails unless going from `before` to `after` changes the Ingress's weights and nothing else. */
function assertWeightsOnly(before: RenderQuery, after: RenderQuery): void {
    const diff = diffRenders(before.rendered, after.rendered);
    assert.deepEqual([diff.added.length, diff.removed.length, diff.changed.map((c) => c.type)], [0, 0, ["kubernetes:networking.k8s.io/v1:Ingress"]]);
    for (const field of diff.changed[0].fields) {
        assert.match(field.path, /^inputs\.metadata\.annotations\.alb\.ingress\.kubernetes\.io\/actions\.[a-z0-9-]+\.forwardConfig\.targetGroups\[\d\]\.weight$/);
    }
}

describe("release histories (rendered, a handful of sequences)", function () {
    this.timeout(600_000);
    for (const profile of ["dev", "production"] as const) {
        it(`${profile}: after every step one color gets all the traffic and runs what the history says; releases touch the idle color only, cutovers the weights only`, async () => {
            const first = await renderText(profile, startingText(profile));
            const liveRuns = liveRunsFrom(first.outputs.serviceVersions, "api") as LiveRuns;
            assert.equal(liveRuns?.configHash, podConfigHash(startingConfig(profile)), "the stack's outputs say what the live color runs");
            await fc.assert(
                fc.asyncProperty(fc.array(command, { minLength: 3, maxLength: 6 }), async (commands) => {
                    let previous = first;
                    let model: Model = { live: "blue", colors: {} };
                    assertLiveRuns(first, model, liveRuns, profile);
                    for (const step of runCommands(profile, commands, liveRuns)) {
                        if (step.refused) {
                            continue;
                        }
                        const q = await renderText(profile, step.after);
                        assertLiveRuns(q, step.model, liveRuns, profile);
                        if (step.command.kind === "promote" || step.command.kind === "rollback") {
                            assertWeightsOnly(previous, q);
                        } else {
                            assertIdleOnly(previous, q, otherColor(model.live));
                        }
                        [previous, model] = [q, step.model];
                    }
                }),
                { numRuns: 3, seed: profile === "dev" ? 1301 : 1302, endOnFailure: true, examples: [[everyTransition]] },
            );
        });
    }
});
