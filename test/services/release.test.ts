import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import YAML from "yaml";
import { podConfigHash } from "../../components/service/colors";
import { liveRunsFrom, type ReleaseIo, run } from "../../tools/release";
import { planAction } from "../../tools/release/plan";
import { applyEdits, readStackFile, type StackService } from "../../tools/release/stackFile";
import { configProblems, projectDir, render } from "../harness";
import { defaultPodConfig, liveColor, outsideRelease } from "./bluegreenFixtures";

const config = defaultPodConfig("production");
const pin = (number: number, version: string, extra: object = {}) => ({ number, version, config, ...extra });
const api = { name: "api", source: "services/api" };
const twoColors = (active: "blue" | "green", extra: object = {}): StackService => ({
    ...api,
    release: { active, colors: { blue: pin(1, "src-1"), green: pin(2, "src-2") }, ...extra },
});
const refusal = (plan: ReturnType<typeof planAction>) => ("refused" in plan ? plan.refused : "");
const edits = (plan: ReturnType<typeof planAction>) => ("edits" in plan ? plan.edits : []);

describe("release, promote and rollback plans", () => {
    it("releases to the idle color only, with the next release number and the service's current settings", () => {
        const service = { ...twoColors("blue"), env: { FEATURE: "on" } };
        assert.deepEqual(edits(planAction(service, 0, "production", { kind: "release", version: "src-3" })), [
            { path: ["platform:services", 0, "release", "colors", "green"], value: { number: 3, version: "src-3", config: { ...config, env: { FEATURE: "on" } } } },
        ]);
    });

    it("ships a config change with the live version when no version is given", () => {
        const plan = planAction({ ...twoColors("green"), env: { LOG_LEVEL: "debug" } }, 0, "production", { kind: "release" });
        assert.deepEqual(edits(plan)[0], { path: ["platform:services", 0, "release", "colors", "blue"], value: { number: 3, version: "src-2", config: { ...config, env: { LOG_LEVEL: "debug" } } } });
    });

    it("pins what the live color runs before the first release, from the stack's outputs, and refuses without them", () => {
        const unpinned = api;
        assert.match(refusal(planAction(unpinned, 0, "production", { kind: "release", version: "src-3" })), /--live-version/);
        const plan = planAction(unpinned, 0, "production", { kind: "release", version: "src-3" }, { version: "src-1", configHash: podConfigHash(config) });
        assert.deepEqual(
            edits(plan).map((e) => [e.path.slice(-1)[0], "value" in e && (e.value as { number: number; version: string })]),
            [
                ["blue", { number: 1, version: "src-1", config }],
                ["green", { number: 2, version: "src-3", config }],
            ],
        );
    });

    it("refuses to pin the live color to settings the stack file no longer gives", () => {
        const edited = { ...api, env: { LOG_LEVEL: "debug" } };
        assert.match(refusal(planAction(edited, 0, "production", { kind: "release", version: "src-3" }, { version: "src-1", configHash: podConfigHash(config) })), /runs other settings/);
    });

    it("reads what the live color runs from the serviceVersions output, in its current and its older shape", () => {
        assert.deepEqual(liveRunsFrom({ api: { strategy: "blueGreen", live: "green", green: { version: "src-9", configHash: "0123456789" } } }, "api"), { version: "src-9", configHash: "0123456789" });
        assert.deepEqual(liveRunsFrom({ api: { blue: "src-1", green: "src-2", live: "blue" } }, "api"), { version: "src-1" });
        assert.equal(liveRunsFrom(undefined, "api"), undefined);
    });

    it("refuses latest and every version the config would reject, before touching the file", () => {
        assert.match(refusal(planAction(twoColors("blue"), 0, "production", { kind: "release", version: "latest" })), /^--version: "latest" is the moving tag latest/);
        assert.match(refusal(planAction(api, 0, "dev", { kind: "release", version: "latest" })), /^--version: "latest"/);
        assert.equal(
            refusal(planAction(twoColors("blue"), 0, "production", { kind: "release", version: "v1 final" })),
            `--version: "v1 final" is not an image tag (letters, digits, '_', '.', '-'; at most 128) or a sha256: digest`,
        );
        assert.match(refusal(planAction(api, 0, "production", { kind: "release", version: "src-3" }, { version: "-x" })), /^--live-version/);
    });

    it("refuses to release what the idle color already holds, unpromoted", () => {
        assert.match(refusal(planAction(twoColors("blue"), 0, "production", { kind: "release", version: "src-2" })), /already runs src-2 .* promote it/);
    });

    it("promotes only to a newer release, and records where it came from", () => {
        assert.deepEqual(edits(planAction(twoColors("blue"), 0, "production", { kind: "promote" })), [
            { path: ["platform:services", 0, "release", "active"], value: "green" },
            { path: ["platform:services", 0, "release", "previous"], value: "blue" },
        ]);
        assert.match(refusal(planAction(twoColors("green"), 0, "production", { kind: "promote" })), /nothing newer to promote/);
        assert.match(refusal(planAction(api, 0, "production", { kind: "promote" })), /nothing has been released/);
    });

    it("rolls back once to the color live before the last promotion, and marks the one it left", () => {
        const promoted = twoColors("green", { previous: "blue" });
        assert.deepEqual(edits(planAction(promoted, 0, "production", { kind: "rollback" })), [
            { path: ["platform:services", 0, "release", "active"], value: "blue" },
            { path: ["platform:services", 0, "release", "previous"], remove: true },
            { path: ["platform:services", 0, "release", "colors", "green", "rolledBack"], value: true },
        ]);
        assert.match(refusal(planAction(twoColors("blue"), 0, "production", { kind: "rollback" })), /nothing to roll back to/);
        const rolledBack = { ...api, release: { active: "blue", colors: { blue: pin(1, "src-1"), green: pin(2, "src-2", { rolledBack: true }) } } };
        assert.match(refusal(planAction(rolledBack, 0, "production", { kind: "promote" })), /was rolled back; release again/);
    });

    it("forgets the rollback target once a release replaces it", () => {
        const plan = planAction(twoColors("green", { previous: "blue" }), 0, "production", { kind: "release", version: "src-3" });
        assert.deepEqual(edits(plan).slice(-1), [{ path: ["platform:services", 0, "release", "previous"], remove: true }]);
    });

    it("sends a rolling service's release to its one Deployment, and refuses to promote or roll it back", () => {
        assert.deepEqual(edits(planAction(api, 0, "dev", { kind: "release", version: "src-9" })), [{ path: ["platform:services", 0, "release", "version"], value: "src-9" }]);
        for (const kind of ["promote", "rollback"] as const) {
            assert.match(refusal(planAction(api, 0, "dev", { kind })), /rolls in place/);
        }
    });

    it("rejects a history no sequence of commands leaves behind", async () => {
        assert.deepEqual(await configProblems("production", { "platform:services[0].release": { active: "blue", previous: "blue", colors: {} } }), [
            'services[0].release.previous: "blue" is the live color itself; it names the color that was live before the last promotion',
            'services[0].release.previous: "blue" has no entry under release.colors to roll back to',
        ]);
        assert.deepEqual(await configProblems("production", { "platform:services[0].release.colors.red": pin(1, "src-1") }), [
            'services[0].release.colors.red: "red" is not one of "blue", "green"',
        ]);
    });
});

/** A stack file with everything a hand-written one has: comments, flow lists, quoting, blank lines. */
const handWritten = `# production, as a team writes it
config:
  aws:region: "eu-west-1"   # quoted on purpose
  platform:profile: production
  platform:cluster:
    publicAccessCidrs: [ 10.0.0.0/8, 192.168.0.0/16 ]
    nodeGroups:
      - {name: system, instanceTypes: [m7i.large, m6i.large], capacityType: ON_DEMAND, minSize: 3, desiredSize: 3, maxSize: 9}

  platform:services:
    - name: api
      source: services/api   # the example service
      env: {LOG_LEVEL: 'info', FLAGS: "a,b"}
      blueGreen: {preview: {sourceCidrs: [198.51.100.0/24]}}
    # a second service, not touched by releases of the first
    - name: web
      source: services/api
      ingress: { enabled: false }
`;

describe("the stack file, edited in place", () => {
    it("changes only the edited keys, byte for byte everywhere else, through release, promote and rollback", () => {
        let text = handWritten;
        const steps = [
            planAction(readStackFile(text).services[0], 0, "production", { kind: "release", version: "src-2" }, { version: "src-1" }),
        ];
        text = applyEdits(text, edits(steps[0]));
        for (const kind of ["promote", "rollback"] as const) {
            const plan = planAction(readStackFile(text).services[0], 0, "production", { kind });
            assert.ok("edits" in plan, refusal(plan));
            const next = applyEdits(text, plan.edits);
            assert.deepEqual(outsideRelease(next), outsideRelease(handWritten), kind);
            text = next;
        }
        assert.ok(text.startsWith(handWritten.slice(0, handWritten.indexOf("    # a second service"))), "the first service's own lines and all before them are intact");
        assert.ok(text.includes("publicAccessCidrs: [ 10.0.0.0/8, 192.168.0.0/16 ]"));
        assert.equal(YAML.parse(text).config["platform:services"][0].release.active, "blue");
    });

    it("edits a service written on one line by writing that service's release out as a block, nothing else", () => {
        const text = `config:\n  platform:profile: production\n  platform:services:\n    - {name: api, source: services/api}\n    - name: web\n      source: x\n`;
        const plan = planAction(readStackFile(text).services[1], 1, "production", { kind: "release", version: "src-2" }, { version: "src-1" });
        const edited = applyEdits(text, edits(plan));
        assert.ok(edited.startsWith(text.slice(0, text.indexOf("    - name: web"))));
        assert.equal(readStackFile(edited).services[1].release && (readStackFile(edited).services[1].release as any).colors.green.version, "src-2");
    });

    it("produces a stack file the program accepts, live where the history says", async () => {
        const text = fs.readFileSync(`${projectDir}/Pulumi.production.yaml`, "utf8");
        const released = applyEdits(text, edits(planAction(readStackFile(text).services[0], 0, "production", { kind: "release", version: "src-bbbbbbbbbbbbbbbb" }, { version: "src-aaaaaaaaaaaaaaaa" })));
        const promoted = applyEdits(released, edits(planAction(readStackFile(released).services[0], 0, "production", { kind: "promote" })));
        const q = await render("production", { "platform:services": readStackFile(promoted).services });
        assert.equal(liveColor(q), "green");
    });
});

describe("the release command line", () => {
    let dir: string;
    let out: string[];
    let err: string[];
    let versions: unknown;
    let rendered: unknown;
    const io = (): ReleaseIo => ({ projectDir: dir, out: (t) => out.push(t), err: (t) => err.push(t), deployedVersions: () => versions, renderedVersions: async () => rendered });

    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "release-"));
        fs.copyFileSync(path.join(projectDir, "Pulumi.production.yaml"), path.join(dir, "Pulumi.production.yaml"));
        [out, err, versions, rendered] = [[], [], undefined, undefined];
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("answers --help for every action", async () => {
        for (const action of ["release", "promote", "rollback"]) {
            assert.equal(await run([action, "--help"], io()), 0);
            assert.match(out.join(""), new RegExp(`npm run ${action} -- --stack <stack> --service <name>`));
        }
    });

    it("answers a wrong invocation with one line and exit code 2", async () => {
        for (const argv of [["promote", "--bogus"], ["promote", "--stack", "production"], ["release", "--stack", "staging", "--service", "api"], ["promote", "--service", "api", "--version", "x"], ["deploy"], ["promote", "stray"]]) {
            err = [];
            assert.equal(await run(argv, io()), 2, argv.join(" "));
            assert.equal(err.join("").trimEnd().split("\n").length, 1, err.join(""));
        }
    });

    it("makes the README's release example work on the shipped production stack, reading what runs from the stack's outputs", async () => {
        const configHash = podConfigHash(config);
        versions = { api: { strategy: "blueGreen", live: "blue", blue: { version: "src-1111111111111111", configHash }, green: { version: "src-1111111111111111", configHash } } };
        assert.equal(await run(["release", "--stack", "production", "--service", "api", "--version", "src-2222222222222222"], io()), 0, err.join(""));
        assert.equal(await run(["promote", "--stack", "production", "--service", "api"], io()), 0, err.join(""));
        assert.equal(await run(["rollback", "--stack", "production", "--service", "api"], io()), 0, err.join(""));
        assert.equal(await run(["rollback", "--stack", "production", "--service", "api"], io()), 1);
        assert.match(err.join(""), /nothing to roll back to/);
        const release = readStackFile(fs.readFileSync(path.join(dir, "Pulumi.production.yaml"), "utf8")).services[0].release as any;
        assert.deepEqual([release.active, release.colors.blue.version, release.colors.green.rolledBack], ["blue", "src-1111111111111111", true]);
    });

    it("leaves the file as it was when it refuses", async () => {
        const before = fs.readFileSync(path.join(dir, "Pulumi.production.yaml"), "utf8");
        assert.equal(await run(["release", "--stack", "production", "--service", "api", "--version", "latest"], io()), 1);
        assert.equal(await run(["promote", "--stack", "production", "--service", "api"], io()), 1);
        assert.equal(fs.readFileSync(path.join(dir, "Pulumi.production.yaml"), "utf8"), before);
    });

    it("without the stack's outputs, pins the live color to what pulumi up from this checkout runs on it, and says so", async () => {
        rendered = { api: { strategy: "blueGreen", live: "blue", blue: { version: "src-4444444444444444", configHash: podConfigHash(config) } } };
        assert.equal(await run(["release", "--stack", "production", "--service", "api", "--version", "src-5555555555555555"], io()), 0, err.join(""));
        assert.match(out.join(""), /pinned to what pulumi up from this checkout runs on it: src-4444444444444444/);
        rendered = undefined;
        fs.copyFileSync(path.join(projectDir, "Pulumi.production.yaml"), path.join(dir, "Pulumi.production.yaml"));
        assert.equal(await run(["release", "--stack", "production", "--service", "api", "--version", "src-5555555555555555"], io()), 1);
        assert.match(err.join(""), /--live-version/);
    });

    it("prints one line, never a stack trace, when run as npm does", () => {
        assert.throws(
            () => execFileSync("npx", ["ts-node", "--transpile-only", "tools/release.ts", "promote", "--stack", "production", "--service", "web", "--bogus"], { cwd: projectDir, stdio: "pipe" }),
            (error: { stderr: Buffer; status: number }) => {
                const lines = error.stderr.toString().trimEnd().split("\n");
                return error.status === 2 && lines.length === 1 && /Unknown option '--bogus'/.test(lines[0]);
            },
        );
    });
});
