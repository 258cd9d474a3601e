import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { diffRenders, type RenderDiff } from "../tools/engine/diff";
import { fakeAccountId } from "../tools/engine/fakeAccount";
import { renderStack } from "../tools/engine/render";
import { configProblems, projectDir, render, stacks } from "./harness";

const firstUp = { clusters: [] };
const cidrs = { "platform:cluster.publicAccessCidrs": ["198.51.100.0/24"] };
const role = (name: string) => `arn:aws:iam::${fakeAccountId}:role/${name}`;

/** What a second `pulumi up` would do after the first: nothing added, removed or changed. */
function assertNoChange(diff: RenderDiff): void {
    const changed = diff.changed.map((c) => `${c.kind} ${c.type} ${c.name}: ${c.fields.map((f) => f.path).join(", ")}`);
    assert.deepEqual({ added: diff.added.map((r) => r.urn), removed: diff.removed.map((r) => r.urn), changed }, { added: [], removed: [], changed: [] });
}

/** The project's files (tracked and new, as git lists them) in a temporary folder sharing this checkout's node_modules. */
function copyProject(): { dir: string; cleanup: () => void } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "platform-elsewhere-"));
    const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], { cwd: projectDir, encoding: "utf8" }).split("\0").filter(Boolean);
    for (const file of files.filter((f) => fs.existsSync(path.join(projectDir, f)))) {
        fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        fs.copyFileSync(path.join(projectDir, file), path.join(dir, file));
    }
    fs.symlinkSync(path.join(projectDir, "node_modules"), path.join(dir, "node_modules"), "dir");
    return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

describe("a first pulumi up, and a second that changes nothing", () => {
    for (const stack of stacks) {
        it(`${stack}: a second update, by another role, from another folder, plans what the first did`, async () => {
            const first = await renderStack({ projectDir, stack, overrides: cidrs, account: firstUp });
            assertNoChange(diffRenders(first, await renderStack({ projectDir, stack, overrides: cidrs })));
            assertNoChange(diffRenders(first, await renderStack({ projectDir, stack, overrides: cidrs, account: { callerRoleName: "an-engineers-sso-role" } })));
            // The CLI runs the program in its project's folder; so does this render.
            const elsewhere = copyProject();
            const cwd = process.cwd();
            try {
                process.chdir(elsewhere.dir);
                assertNoChange(diffRenders(first, await renderStack({ projectDir: elsewhere.dir, stack, overrides: cidrs })));
            } finally {
                process.chdir(cwd);
                elsewhere.cleanup();
            }
        });
    }

    it("plans the same access entries whoever runs the update, the role that created the cluster included", async () => {
        const admins = { "platform:cluster.adminRoleArns": [role("platform-admins"), role("platform-ci")] };
        const byCreator = (await render("dev", admins)).rendered;
        for (const callerRoleName of ["platform-admins", "platform-ci"]) {
            assertNoChange(diffRenders(byCreator, (await render("dev", admins, { callerRoleName })).rendered));
        }
    });

    it("refuses a first production up whose API no deploying machine could reach, naming what to set", async () => {
        // EKS User Guide, cluster-endpoint.html: with public access off, the API "is only accessible from within
        // your cluster's VPC" (or a network connected to it), and a new VPC has nothing in it yet.
        assert.deepEqual(await configProblems("production", {}, firstUp), [
            "cluster.publicAccessCidrs: [] turns the public API endpoint off, and a new cluster's private one is reachable only from inside its new VPC, where nothing runs yet; list the CIDRs this update runs from (CI runners', VPN egress): pulumi config set --path 'cluster.publicAccessCidrs[0]' <cidr>",
        ]);
        const opened = await render("production", cidrs, firstUp);
        assert.deepEqual(opened.one("eks:index:Cluster").inputs.publicAccessCidrs, ["198.51.100.0/24"]);
    });

    it("keeps an existing production cluster private when its updates run from inside the VPC", async () => {
        assert.equal((await render("production")).one("eks:index:Cluster").inputs.endpointPublicAccess, false);
    });

    it("refuses to create the cluster from a role it lists as admin: EKS makes the creator admin itself", async () => {
        // pulumi-eks 4.3.0 nodejs/eks/cluster/cluster.ts: accessConfig.bootstrapClusterCreatorAdminPermissions is always true.
        const admins = { "platform:cluster.adminRoleArns": [role("platform-admins"), `arn:aws:iam::${fakeAccountId}:role/team/platform-ci`] };
        assert.deepEqual(await configProblems("dev", admins, { ...firstUp, callerRoleName: "platform-ci" }), [
            `cluster.adminRoleArns[1]: "arn:aws:iam::${fakeAccountId}:role/team/platform-ci" is the role creating the cluster, which EKS makes admin itself; an access entry for it would fail. Remove it (it stays admin), or create the cluster from another role`,
        ]);
        await render("dev", admins, { ...firstUp, callerRoleName: "platform-deployer" });
    });

    it("refuses a certificate of another account or region before anything is created: the shipped documentation ARN stops a real up", async () => {
        // Elastic Load Balancing, create-https-listener.html#https-listener-certificates: an HTTPS listener takes an
        // ACM certificate of the load balancer's own account and Region; the controller passes the annotation as is.
        const elsewhere = "arn:aws:acm:eu-west-1:210987654321:certificate/0c5b6f2e-8d1a-4b7e-9f3c-2a6d4e8b1c70";
        assert.deepEqual(await configProblems("production", { "platform:services[0].ingress.certificateArn": elsewhere }), [
            `services[0].ingress.certificateArn: "${elsewhere}" is in account 210987654321; an ALB takes certificates from ACM of its own account, ${fakeAccountId}`,
        ]);
        const otherRegion = `arn:aws:acm:us-east-1:${fakeAccountId}:certificate/0c5b6f2e-8d1a-4b7e-9f3c-2a6d4e8b1c70`;
        assert.deepEqual(await configProblems("production", { "platform:services[0].ingress.certificateArn": otherRegion }), [
            `services[0].ingress.certificateArn: "${otherRegion}" is in us-east-1; an ALB in eu-west-1 takes certificates from ACM in eu-west-1 only`,
        ]);
    });

    it("refuses a service name that makes its ALB group longer than the controller accepts", async () => {
        // Without a database: its role's name has a tighter limit of its own.
        const name = "s".repeat(51);
        const problems = await configProblems("dev", { "platform:services[0].name": name, "platform:services[0].database": { enabled: false } });
        assert.deepEqual(problems, [`services[0].name: "${name}" makes the ALB group platform-dev-${name} longer than 63 characters; use at most 50`]);
    });
});
