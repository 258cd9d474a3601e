import { strict as assert } from "assert";
import Ajv from "ajv";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { listStacks } from "../tools/engine/stackFiles";
import { stackProfile } from "../tools/policyCheck";
import { projectDir } from "./harness";

/** SchemaStore's JSON schema for GitHub Actions workflows, as the `schemastore` package ships it. */
const workflowSchema = JSON.parse(fs.readFileSync(require.resolve("schemastore/schemas/json/github-workflow.json"), "utf8")) as object;

interface Step {
    name?: string;
    uses?: string;
    run?: string;
    if?: string;
    with?: Record<string, unknown>;
    env?: Record<string, unknown>;
}

interface Job {
    name?: string;
    "runs-on"?: string | string[];
    needs?: string | string[];
    if?: string;
    uses?: string;
    with?: Record<string, unknown>;
    permissions?: Record<string, string> | string;
    environment?: string | { name: string };
    concurrency?: string | { group: string; "cancel-in-progress"?: boolean | string };
    strategy?: { matrix?: { stack?: string[]; include?: Record<string, string>[] } };
    env?: Record<string, unknown>;
    steps?: Step[];
}

interface Workflow {
    name: string;
    on: Record<string, any>;
    permissions?: Record<string, string> | string;
    env?: Record<string, unknown>;
    jobs: Record<string, Job>;
}

/** Node.js 24 LTS, which the product and the example service target (SPEC). */
const productNode = 24;
/** pulumi/actions v7 is the major whose action runs on Node 24 (its action.yml: `using: node24`; CHANGELOG 7.0.0). */
const pulumiActionsMajor = 7;

const workflowDir = path.join(projectDir, ".github", "workflows");
const files = fs.readdirSync(workflowDir).filter((file) => /\.ya?ml$/.test(file));
const text = (file: string) => fs.readFileSync(path.join(workflowDir, file), "utf8");
const workflow = (file: string) => parse(text(file)) as Workflow;
const everyJob = () => files.flatMap((file) => Object.entries(workflow(file).jobs).map(([id, job]) => ({ file, id, job })));
const steps = (job: Job) => job.steps ?? [];
const runs = (job: Job, command: RegExp) => steps(job).some((step) => command.test(step.run ?? ""));
const assumesRole = (job: Job) => steps(job).some((step) => step.uses?.startsWith("aws-actions/configure-aws-credentials@"));

/** The jobs of a reusable workflow a job calls, or none. */
function calledJobs(job: Job): Job[] {
    const local = /^\.\/\.github\/workflows\/(.+)$/.exec(job.uses ?? "")?.[1];
    return local ? Object.values(workflow(local).jobs) : [];
}

/** Turns `{ stack: production }` into the callee's view of `${{ inputs.stack }}`. */
function withInputs(value: string, inputs: Record<string, unknown> = {}): string {
    return value.replace(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g, (_, name: string) => String(inputs[name]));
}

describe("GitHub Actions workflows", () => {
    it("has the pull request, fork comment and deploy workflows", () => {
        for (const file of ["deploy-stack.yml", "deploy.yml", "fork-comment.yml", "pull-request.yml"]) {
            assert.ok(files.includes(file), `.github/workflows/${file} is missing`);
        }
    });

    for (const file of files) {
        it(`${file} is a valid workflow by SchemaStore's GitHub Actions schema`, () => {
            const validate = new Ajv({ strict: false, allErrors: true }).compile(workflowSchema);
            const valid = validate(workflow(file));
            assert.ok(valid, JSON.stringify(validate.errors?.slice(0, 5), null, 2));
        });
    }

    it("rejects what GitHub would reject (the schema is really applied)", () => {
        const validate = new Ajv({ strict: false }).compile(workflowSchema);
        assert.equal(validate({ on: "push", jobs: { build: { "runs-on": "ubuntu-latest", stepz: [] } } }), false);
        assert.equal(validate({ on: "push", jobs: { build: { "runs-on": "ubuntu-latest", permissions: { "id-token": "admin" }, steps: [{ run: "true" }] } } }), false);
    });

    it("pins every action to a full commit SHA, with the version it is beside it, one version per action", () => {
        const pins = new Map<string, string>();
        for (const file of files) {
            for (const line of text(file).split("\n")) {
                const use = /^\s*(?:-\s+)?uses:\s*(\S+)(?:\s+#\s*(\S+))?/.exec(line);
                if (!use || use[1].startsWith("./")) {
                    continue;
                }
                const [action, ref] = use[1].split("@");
                assert.match(ref ?? "", /^[0-9a-f]{40}$/, `${file}: ${use[1]} is not pinned to a commit`);
                assert.match(use[2] ?? "", /^v\d+(\.\d+)*$/, `${file}: ${use[1]} does not say which version the commit is`);
                assert.equal(pins.get(action) ?? ref, ref, `${action} is pinned to two commits`);
                pins.set(action, ref);
            }
        }
        assert.ok(pins.size > 0);
    });

    it("gets AWS credentials only by OIDC role assumption, never from stored keys", () => {
        for (const file of files) {
            assert.doesNotMatch(text(file), /AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN)|aws-access-key-id|aws-secret-access-key|secrets\.AWS/i, file);
        }
        const assuming = everyJob().filter(({ job }) => assumesRole(job));
        assert.ok(assuming.length > 0);
        for (const { file, id, job } of assuming) {
            for (const step of steps(job).filter((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"))) {
                assert.match(String(step.with?.["role-to-assume"] ?? ""), /^\$\{\{\s*vars/, `${file} ${id}: role-to-assume comes from a variable`);
            }
            assert.equal(typeof job.permissions === "object" && job.permissions["id-token"], "write", `${file} ${id} must be allowed to request the OIDC token`);
        }
        for (const { file, id, job } of everyJob().filter(({ job }) => runs(job, /pulumi (preview|up)/))) {
            const order = steps(job).map((step) => (step.uses?.startsWith("aws-actions/configure-aws-credentials@") ? "role" : /pulumi (preview|up)/.test(step.run ?? "") ? "pulumi" : ""));
            assert.ok(order.indexOf("role") >= 0 && order.indexOf("role") < order.indexOf("pulumi"), `${file} ${id} assumes its role before running pulumi`);
        }
    });

    it("grants nothing by default and each job only what it uses", () => {
        for (const file of files) {
            assert.deepEqual(workflow(file).permissions, {}, `${file} sets permissions: {} at the top`);
        }
        for (const { file, id, job } of everyJob()) {
            const where = `${file} ${id}`;
            assert.equal(typeof job.permissions, "object", `${where} declares its permissions`);
            const granted = job.permissions as Record<string, string>;
            const callee = calledJobs(job);
            const writes = Object.entries(granted).filter(([, level]) => level === "write").map(([scope]) => scope).sort();
            const needs = [
                assumesRole(job) || callee.some(assumesRole) ? "id-token" : "",
                runs(job, /pr-comment/) ? "pull-requests" : "",
            ].filter(Boolean).sort();
            assert.deepEqual(writes, needs, `${where} writes only what it uses`);
            if (granted.actions) {
                const checksEnvironment = (j: Job) => runs(j, /gh api .*environments/);
                const readsActions = steps(job).some((s) => s.uses?.startsWith("actions/download-artifact@")) || [job, ...callee].some(checksEnvironment);
                assert.ok(readsActions, `${where} reads actions only to fetch artifacts or check the environment`);
            }
        }
    });

    it("deploys production only through its protected environment, after dev has deployed and passed its smoke test", () => {
        const deploy = workflow("deploy.yml");
        assert.deepEqual(Object.keys(deploy.on), ["push"]);
        assert.deepEqual(deploy.on.push.branches, ["main"]);
        const callers = Object.entries(deploy.jobs).filter(([, job]) => job.uses === "./.github/workflows/deploy-stack.yml");
        const production = callers.find(([, job]) => job.with?.stack === "production");
        const dev = callers.find(([, job]) => job.with?.stack === "dev");
        assert.ok(production && dev);
        assert.deepEqual([production[1].needs].flat(), [dev[0]], "production waits for the whole dev deploy, smoke test included");
        for (const [id, job] of callers) {
            const stack = String(job.with?.stack);
            if (stackProfile(projectDir, stack) === "production") {
                assert.equal(job.with?.["require-approval"], true, `${id}: a production-profile stack needs a reviewer`);
            }
        }

        const stackJobs = workflow("deploy-stack.yml").jobs;
        const up = Object.values(stackJobs).find((job) => runs(job, /pulumi up/));
        assert.ok(up);
        const environment = typeof up.environment === "string" ? up.environment : up.environment?.name;
        assert.equal(withInputs(environment ?? "", production[1].with), "production", "the production update runs in the production environment");
        const guard = steps(up).findIndex((step) => step.if === "inputs.require-approval" && /required_reviewers/.test(step.run ?? ""));
        assert.equal(guard, 0, "the first step refuses an environment without required reviewers");
        const smoke = Object.values(stackJobs).find((job) => runs(job, /npm run --silent smoke/));
        assert.ok(smoke);
        assert.deepEqual([smoke.needs].flat(), [Object.entries(stackJobs).find(([, job]) => job === up)?.[0]], "the smoke test follows the update");
        assert.deepEqual(smoke.permissions, { contents: "read" }, "the smoke test needs no cloud credentials");
    });

    it("plans and updates stacks on the runner a repository variable names, which reaches the Kubernetes API (GitHub-hosted by default)", () => {
        // A production API takes only cluster.publicAccessCidrs and the VPC: a GitHub-hosted runner's address is neither.
        const pulumiJobs = Object.entries(workflow("deploy-stack.yml").jobs).filter(([, job]) => runs(job, /pulumi (preview|up)/));
        assert.ok(pulumiJobs.length >= 2);
        for (const [id, job] of pulumiJobs) {
            assert.equal(job["runs-on"], "${{ inputs.runner }}", `deploy-stack.yml ${id}`);
        }
        const callers = Object.entries(workflow("deploy.yml").jobs).filter(([, job]) => job.uses === "./.github/workflows/deploy-stack.yml");
        for (const [id, job] of callers) {
            assert.equal(job.with?.runner, "${{ vars.DEPLOY_RUNNER || 'ubuntu-latest' }}", `deploy.yml ${id}`);
        }
        // A pull request's pulumi preview reads the cluster's objects too.
        const previews = Object.entries(workflow("pull-request.yml").jobs).filter(([, job]) => runs(job, /pulumi preview/));
        assert.ok(previews.length >= 1);
        for (const [id, job] of previews) {
            assert.equal(job["runs-on"], "${{ vars.DEPLOY_RUNNER || 'ubuntu-latest' }}", `pull-request.yml ${id}`);
        }
    });

    it("never lets two plan-and-deploys of one stack overlap, so each plan is made on the state it applies to", () => {
        const callers = Object.entries(workflow("deploy.yml").jobs).filter(([, job]) => job.uses === "./.github/workflows/deploy-stack.yml");
        assert.deepEqual(callers.map(([, job]) => job.with?.stack).sort(), listStacks(projectDir));
        for (const [id, job] of callers) {
            const concurrency = typeof job.concurrency === "string" ? { group: job.concurrency } : job.concurrency;
            assert.ok(concurrency, `deploy.yml ${id} holds one group for the plan and the update`);
            assert.equal(concurrency["cancel-in-progress"], false, `deploy.yml ${id}: a new deploy must wait, never cancel a running update`);
            assert.equal(concurrency.group, `deploy-${job.with?.stack}`, `deploy.yml ${id}: one group per stack`);
        }
        // A job inside holding the same group as its caller would wait for its caller forever.
        for (const [id, job] of Object.entries(workflow("deploy-stack.yml").jobs)) {
            assert.equal(job.concurrency, undefined, `deploy-stack.yml ${id} leaves concurrency to its caller`);
        }
    });

    it("applies exactly the plan its reviewers saw: preview --save-plan, approval, up --plan from the same commit", () => {
        const jobs = workflow("deploy-stack.yml").jobs;
        const command = (job: Job, pattern: RegExp) => steps(job).find((step) => pattern.test(step.run ?? ""));
        const [planId, plan] = Object.entries(jobs).find(([, job]) => command(job, /pulumi preview/)) ?? [];
        const [, deploy] = Object.entries(jobs).find(([, job]) => command(job, /pulumi up/)) ?? [];
        assert.ok(plan && deploy && planId);
        const saved = /--save-plan (\S+)/.exec(command(plan, /pulumi preview/)?.run ?? "")?.[1];
        assert.ok(saved, "the preview saves its plan");
        assert.equal(plan.environment, undefined, "the plan is made before the approval, for the reviewers to read");
        assert.match(steps(plan).map((s) => s.run ?? "").join("\n"), /GITHUB_STEP_SUMMARY/, "the preview is shown on the run the reviewers approve");
        const upload = steps(plan).find((step) => step.uses?.startsWith("actions/upload-artifact@"));
        assert.ok(upload && saved.startsWith(`${String(upload.with?.path).replace(/\/$/, "")}/`), "the saved plan is uploaded");
        assert.equal(upload.with?.["if-no-files-found"], "error");

        assert.deepEqual([deploy.needs].flat(), [planId], "the update follows its plan");
        assert.ok(deploy.environment, "the update waits for the stack's environment (its reviewers)");
        const download = steps(deploy).find((step) => step.uses?.startsWith("actions/download-artifact@"));
        assert.equal(download?.with?.name, upload.with?.name, "the update fetches that plan");
        const up = command(deploy, /pulumi up/);
        const planFile = /--plan "?\$(\w+)"?/.exec(up?.run ?? "")?.[1];
        assert.ok(planFile, "the update is constrained by --plan");
        assert.equal(up?.env?.[planFile], `${download?.with?.path}/${saved.split("/").pop()}`, "--plan names the downloaded plan");
        for (const [which, run] of [["preview", command(plan, /pulumi preview/)?.run], ["up", up?.run]]) {
            assert.doesNotMatch(String(run), /--(refresh|target|replace|exclude|show-secrets)\b/, `${which} neither widens the plan nor writes secrets in clear`);
        }
        for (const job of [plan, deploy]) {
            const checkout = steps(job).find((step) => step.uses?.startsWith("actions/checkout@"));
            assert.equal(checkout?.with?.ref, undefined, "plan and update check out the run's own commit");
        }
        // The plan is made with the read-only preview role; only the approved job may assume the deploy role.
        const role = (job: Job) => String(steps(job).find((step) => step.uses?.startsWith("aws-actions/configure-aws-credentials@"))?.with?.["role-to-assume"]);
        assert.match(role(plan), /vars\[inputs\.plan-role-variable\]/);
        assert.match(role(deploy), /vars\.AWS_DEPLOY_ROLE_ARN/);
        for (const job of Object.values(workflow("deploy.yml").jobs).filter((j) => j.uses === "./.github/workflows/deploy-stack.yml")) {
            assert.equal(job.with?.["plan-role-variable"], `AWS_PREVIEW_ROLE_ARN_${String(job.with?.stack).toUpperCase()}`);
        }
    });

    it("runs every job on the Node version the product targets and pulumi/actions of the major that runs on it", () => {
        for (const { file, id, job } of everyJob()) {
            for (const step of steps(job).filter((s) => s.uses?.startsWith("actions/setup-node@"))) {
                assert.equal(step.with?.["node-version"], productNode, `${file} ${id}`);
            }
        }
        for (const file of files) {
            for (const use of text(file).matchAll(/uses: pulumi\/actions@\S+ # v(\d+)/g)) {
                assert.equal(Number(use[1]), pulumiActionsMajor, `${file}: pulumi/actions v${use[1]}`);
            }
        }
    });

    it("previews every stack with its policy config on pull requests, renders it offline for forks, and deploys it on merge", () => {
        const stacks = listStacks(projectDir);
        const pr = workflow("pull-request.yml");
        assert.deepEqual(pr.jobs.preview.strategy?.matrix?.include?.map((entry) => entry.stack).sort(), stacks);
        assert.deepEqual([...(pr.jobs["render-diff"].strategy?.matrix?.stack ?? [])].sort(), stacks);
        const deployed = Object.values(workflow("deploy.yml").jobs).map((job) => job.with?.stack).filter(Boolean);
        assert.deepEqual(deployed.sort(), stacks);
        for (const { file, id, job } of everyJob().filter(({ job }) => runs(job, /pulumi (preview|up)/))) {
            const command = steps(job).find((step) => /pulumi (preview|up)/.test(step.run ?? ""))?.run ?? "";
            assert.match(command, /--policy-pack policy --policy-pack-config "policy\/config\.\$STACK\.json"/, `${file} ${id}`);
            assert.match(command, /--diff/, `${file} ${id} shows the diff`);
        }
        assert.match(steps(pr.jobs["render-diff"]).map((s) => s.run ?? "").join("\n"), /npm run --silent render -- --stack "\$STACK" --diff "\$BASE_SHA"/);
    });

    it("runs a pull request's code with a production-profile stack's preview role only after a reviewer approves it", () => {
        // The preview role reads the account and decrypts the stack's secrets. Pulumi's DIY backend previews without
        // a lock or a write (pulumi v3.248.0 pkg/backend/diy/backend.go: Preview applies with DryRun, Update locks and
        // persists), so the role reads the state bucket only; who may assume it is the environment's OIDC subject.
        const preview = workflow("pull-request.yml").jobs.preview;
        assert.equal(preview.environment, "${{ matrix.environment }}");
        const entries = preview.strategy?.matrix?.include ?? [];
        for (const entry of entries) {
            if (stackProfile(projectDir, entry.stack) === "production") {
                assert.ok(entry.environment, `${entry.stack}: previewed through an environment`);
                assert.notEqual(entry.environment, entry.stack, `${entry.stack}: not the deploy environment, whose role may change the stack`);
            }
        }
        assert.ok(entries.some((entry) => entry.environment), "at least one stack's preview waits for a reviewer");
        // GitHub creates a missing environment on the fly, without reviewers: the job checks before anything else.
        const [guard] = steps(preview);
        assert.match(guard.run ?? "", /gh api "repos\/\$GITHUB_REPOSITORY\/environments\/\$ENVIRONMENT"[\s\S]*required_reviewers[\s\S]*exit 1/);
        assert.equal(guard.if, "matrix.environment != ''");
    });

    it("comments the preview on its pull request, one comment per stack, even when the preview fails", () => {
        const preview = workflow("pull-request.yml").jobs.preview;
        const comment = steps(preview).find((step) => /pr-comment/.test(step.run ?? ""));
        assert.ok(comment);
        assert.match(comment.if ?? "", /always\(\)/);
        assert.match(comment.run ?? "", /--key "preview-\$STACK"/);
        assert.match(String(preview.if), /head\.repo\.full_name == github\.repository/, "forks get the offline diff instead");
        assert.match(String(workflow("pull-request.yml").jobs["render-diff"].if), /head\.repo\.full_name != github\.repository/);
    });

    it("comments forks' diffs from the base repository without running the fork's code", () => {
        const fork = workflow("fork-comment.yml");
        assert.deepEqual(fork.on.workflow_run.workflows, [workflow("pull-request.yml").name]);
        const job = fork.jobs.comment;
        const checkout = steps(job).find((step) => step.uses?.startsWith("actions/checkout@"));
        assert.equal(checkout?.with?.ref, undefined, "checks out the default branch, not the fork");
        assert.match(steps(job).map((s) => s.run ?? "").join("\n"), /--expect-head-sha "\$HEAD_SHA"/);
        assert.ok(!steps(job).some((step) => /npm run --silent (render|policy)|\.ci\/run/.test(step.run ?? "")), "runs nothing from the artifact");
    });

    it("tests on pull requests and before deploying with the same entry point as a fresh machine (.ci/run)", () => {
        for (const file of ["pull-request.yml", "deploy.yml"]) {
            assert.ok(runs(workflow(file).jobs.test, /^\.ci\/run$/), file);
        }
        assert.match(fs.readFileSync(path.join(projectDir, ".ci", "run"), "utf8"), /^npm ci\b/m);
        const manifest = JSON.parse(fs.readFileSync(path.join(projectDir, "package.json"), "utf8"));
        assert.match(manifest.scripts.postinstall, /npm ci --prefix policy/, "npm ci installs the policy pack too");
    });

    it("installs a Pulumi CLI the project accepts", () => {
        const version = fs.readFileSync(path.join(projectDir, ".pulumi-version"), "utf8").trim();
        const { requiredPulumiVersion: required } = parse(fs.readFileSync(path.join(projectDir, "Pulumi.yaml"), "utf8")) as { requiredPulumiVersion: string };
        const minimum = /^>=\s*(\d+)\.(\d+)\.(\d+)$/.exec(required);
        assert.ok(minimum, `requiredPulumiVersion ${required} is a >= bound`);
        const given = version.split(".").map(Number);
        const least = minimum.slice(1).map(Number);
        const cmp = given.map((part, i) => part - least[i]).find((d) => d !== 0) ?? 0;
        assert.ok(cmp >= 0, `.pulumi-version ${version} is below requiredPulumiVersion ${required}`);
        for (const { file, id, job } of everyJob()) {
            for (const step of steps(job).filter((s) => s.uses?.startsWith("pulumi/actions@"))) {
                assert.equal(step.with?.["pulumi-version-file"], ".pulumi-version", `${file} ${id}`);
            }
        }
    });
});

describe("CI gates", () => {
    it("scans every service image for HIGH and CRITICAL findings before any stack deploys", () => {
        const deploy = workflow("deploy.yml");
        const scan = deploy.jobs.scan;
        const trivy = steps(scan).find((step) => step.uses?.startsWith("aquasecurity/trivy-action@"));
        assert.equal(trivy?.with?.severity, "HIGH,CRITICAL");
        assert.equal(trivy?.with?.["exit-code"], "1");
        const services = fs.readdirSync(path.join(projectDir, "services")).filter((s) => fs.existsSync(path.join(projectDir, "services", s, "Dockerfile")));
        assert.deepEqual(scan.strategy?.matrix && (scan.strategy.matrix as { service?: string[] }).service, services);
        assert.ok([deploy.jobs.dev.needs].flat().includes("scan"), "dev waits for the scan");
    });

    it("load-tests each deployed stack after its smoke test, with the stack's own thresholds", () => {
        const load = workflow("deploy-stack.yml").jobs.load;
        assert.deepEqual(load.needs, ["deploy", "smoke"]);
        const run = steps(load).map((step) => step.run ?? "").join("\n");
        assert.match(run, /grafana\/k6:[\d.]+@sha256:[0-9a-f]{64}/);
        assert.match(run, /LOAD_TEST="\$settings"/);
        const script = fs.readFileSync(path.join(projectDir, "tools", "load", "k6.js"), "utf8");
        assert.match(script, /http_req_duration: \[`p\(95\)<\$\{settings\.p95Ms\}`\]/);
        assert.match(script, /http_req_failed: \[`rate<\$\{settings\.maxErrorRate\}`\]/);
    });

    it("load-tests production's idle color from the deploy runner, whose egress the preview route may admit, and stops naming the key when it does not", () => {
        const load = workflow("deploy-stack.yml").jobs.load;
        assert.equal(load["runs-on"], "${{ inputs.runner }}");
        const script = fs.readFileSync(path.join(projectDir, "tools", "load", "k6.js"), "utf8");
        assert.match(script, /export function setup\(\)/);
        assert.match(script, /status === 403[\s\S]*exec\.test\.abort\([^)]*blueGreen\.preview\.sourceCidrs/);
    });
});
