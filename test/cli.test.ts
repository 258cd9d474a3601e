import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { projectDir } from "./harness";

function renderCli(...args: string[]) {
    return spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "tools/render.ts", ...args], {
        cwd: projectDir,
        encoding: "utf8",
        env: { ...process.env, AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "", AWS_PROFILE: "", PULUMI_ACCESS_TOKEN: "" },
    });
}

describe("npm run render", () => {
    let out: string;
    beforeEach(() => {
        out = fs.mkdtempSync(path.join(os.tmpdir(), "render-cli-"));
    });
    afterEach(() => fs.rmSync(out, { recursive: true, force: true }));

    it("renders the dev stack without credentials and prints what it creates", () => {
        const run = renderCli("--out", out);
        assert.equal(run.status, 0, run.stderr);
        assert.match(run.stdout, /^pulumi:pulumi:Stack {2}platform-dev$/m);
        assert.match(run.stdout, /└─ pulumi:providers:aws {2}aws/);
        const written = JSON.parse(fs.readFileSync(path.join(out, "dev", "resources.json"), "utf8"));
        assert.equal(written.stack, "dev");
    });

    it("stops on a bad value with the problem and no stack trace", () => {
        const run = renderCli("--out", out, "--stack", "production", "--config", "platform:profile=prod");
        assert.equal(run.status, 1);
        assert.match(run.stderr, /profile: "prod" is not one of "dev", "production"/);
        assert.doesNotMatch(run.stderr, /^\s+at /m);
        assert.equal(fs.existsSync(path.join(out, "production")), false, "nothing is written");
    });

    it("prints the diff against another stack", () => {
        const run = renderCli("--out", out, "--stack", "production", "--diff", "dev");
        assert.equal(run.status, 0, run.stderr);
        assert.match(run.stdout, /^Offline render diff: stack dev → production/m);
        assert.match(run.stdout, /\d+ to create, \d+ to update, \d+ to replace, \d+ to delete, \d+ unchanged/);
    });

    it("renders a change as an update of its base: a strategy switch of the base's deployed service is refused", () => {
        const run = renderCli("--out", out, "--diff", "dev", "--config", "platform:services[0].strategy=blueGreen");
        assert.equal(run.status, 1);
        assert.match(run.stderr, /services\[0\]\.strategy: "blueGreen" switches api, deployed "rolling"/);
        const accepted = renderCli("--out", out, "--diff", "dev", "--config", "platform:services[0].strategy=blueGreen", "--config", "platform:services[0].acceptStrategySwitchOutage=blueGreen");
        assert.equal(accepted.status, 0, accepted.stderr);
        assert.match(accepted.stdout, /^- delete {3}kubernetes:apps\/v1:Deployment {2}api$/m);
    });
});
