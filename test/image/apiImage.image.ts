import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { request, statusOf } from "../../services/api/test/support/http";
import { eventually } from "../../services/api/test/support/poll";
import { freePort, PostgresServer } from "../../services/api/test/support/postgresServer";
import { mustRun, onPath, secondsSince } from "./commands";
import { ContainerHost } from "./containerHost";
import { serviceDir } from "./dockerfile";
import { LocalRegistry } from "./localRegistry";
import { buildNodeBases, runtimeNode } from "./nodeBases";

// The example service's real Dockerfile, built, pushed to a registry on loopback, pulled back by
// digest and run the way the cluster runs it: read-only root, no capabilities, no privilege
// escalation, as the image's own user, against a real PostgreSQL server.

const tools = ["podman", "buildah", "runc", "skopeo", "debootstrap", "docker-registry", "tar", "chroot"];
const secretsMount = "/var/run/secrets/platform/database";
/** The top-level packages `npm ci --omit=dev` installs, from the service's lockfile. */
function productionPackages(): string[] {
    const lock = JSON.parse(fs.readFileSync(path.join(serviceDir, "package-lock.json"), "utf8")) as { packages: Record<string, { dev?: boolean }> };
    return Object.entries(lock.packages)
        .filter(([where, entry]) => /^node_modules\/(@[^/]+\/)?[^/]+$/.test(where) && !entry.dev)
        .map(([where]) => where)
        .sort();
}

const mebibyte = 1024 * 1024;
const mib = (bytes: number) => `${(bytes / mebibyte).toFixed(1)} MiB`;
/** The spec's size budget: the image is the Node binary plus less than this. */
const budgetOverNode = 15 * mebibyte;
/** Programs a runtime image must not carry: shells, package managers, Node's own package tools. */
const forbiddenPrograms = ["sh", "bash", "dash", "ash", "busybox", "apt", "apt-get", "dpkg", "rpm", "apk", "npm", "npx", "corepack", "yarn", "pnpm"];

describe("the api image: built, pushed, pulled by digest and run", function () {
    this.timeout(30 * 60_000);
    const timings: [string, number][] = [];
    let dir: string;
    let host: ContainerHost;
    let registry: LocalRegistry | undefined;
    let postgres: PostgresServer | undefined;
    let reference: string;
    let bases: Awaited<ReturnType<typeof buildNodeBases>>;
    let port: number;
    const container = "api";

    async function timed<T>(step: string, work: () => Promise<T>): Promise<T> {
        const start = Date.now();
        const result = await work();
        timings.push([step, secondsSince(start)]);
        return result;
    }

    before(async () => {
        assert.equal(process.getuid?.(), 0, "the image test needs root (debootstrap, rootful podman): run it with sudo");
        const missing = [];
        for (const tool of tools) {
            if (!(await onPath(tool))) {
                missing.push(tool);
            }
        }
        assert.deepEqual(missing, [], `install ${missing.join(", ")} (.ci/run does)`);

        dir = fs.mkdtempSync(path.join(os.tmpdir(), "api-image-"));
        const registryPort = await freePort();
        host = ContainerHost.create(path.join(dir, "containers"), `127.0.0.1:${registryPort}`);
        registry = await timed("registry start", () => LocalRegistry.start(path.join(dir, "registry"), registryPort));
        postgres = await timed("postgres start", () => PostgresServer.create());
        bases = await timed("debootstrap base images", () => buildNodeBases(host, path.join(dir, "bases")));

        const local = "localhost/api:under-test";
        await timed("service image build", () =>
            host.podman([
                "build",
                "--network", "host",
                // Docker's image format keeps HEALTHCHECK, as docker build (and so docker.Image) does.
                "--format", "docker",
                "--build-arg", `NODE_IMAGE=${bases.runtime}`,
                "--build-arg", `BUILD_IMAGE=${bases.build}`,
                "--tag", local,
                serviceDir,
            ]),
        );
        const digestFile = path.join(dir, "digest");
        const pushed = `${registry.address}/api:under-test`;
        await timed("push", () => host.podman(["push", "--digestfile", digestFile, local, pushed]));
        reference = `${registry.address}/api@${fs.readFileSync(digestFile, "utf8").trim()}`;
        await host.podman(["rmi", local]);
        await timed("pull by digest", () => host.podman(["pull", reference]));

        const secrets = path.join(dir, "secrets");
        fs.mkdirSync(secrets, { mode: 0o755 });
        const values = { host: postgres.host, port: String(postgres.port), name: postgres.database, username: postgres.user, password: postgres.password };
        for (const [file, value] of Object.entries(values)) {
            fs.writeFileSync(path.join(secrets, file), value, { mode: 0o444 });
        }
        port = await freePort();
        await host.podman([
            "run", "--detach", "--name", container,
            "--network", "host",
            "--read-only", "--read-only-tmpfs=false", "--tmpfs", "/tmp:rw,size=16m",
            "--cap-drop", "ALL",
            "--security-opt", "no-new-privileges",
            // No systemd here to schedule the HEALTHCHECK; the test runs it on demand.
            "--health-interval", "disable",
            "--volume", `${secrets}:${secretsMount}:ro`,
            "--env", `PORT=${port}`,
            ...["HOST", "PORT", "NAME", "PASSWORD"].flatMap((key) => ["--env", `DATABASE_${key}_FILE=${secretsMount}/${key.toLowerCase()}`]),
            "--env", `DATABASE_USER_FILE=${secretsMount}/username`,
            "--env", "DATABASE_SSL=disable",
            reference,
        ]);
        await timed("container ready", () =>
            eventually("the container to report ready", async () => ((await statusOf(port, "/health/ready")) === 200 ? true : undefined), { timeoutMs: 60_000 }),
        );
    });

    after(async () => {
        await host?.reset();
        await registry?.stop();
        await postgres?.destroy();
        if (dir) {
            fs.rmSync(dir, { recursive: true, force: true });
        }
        if (timings.length > 0) {
            console.log(`      timings: ${timings.map(([step, s]) => `${step} ${s}s`).join(", ")}`);
        }
    });

    it("is the image the registry holds under the digest it was pushed with", async () => {
        const digests = JSON.parse(await host.podman(["image", "inspect", "--format", "{{json .RepoDigests}}", reference])) as string[];
        assert.ok(digests.includes(reference), `${reference} in ${digests.join(", ")}`);
        assert.equal((await host.tryPodman(["image", "exists", "localhost/api:under-test"])).code, 1, "the local build was removed before the pull");
    });

    it("is the Node binary and less than 15 MiB besides: the libraries node links, CA certificates and the service", async () => {
        const size = Number(await host.podman(["image", "inspect", "--format", "{{.Size}}", reference]));
        const base = Number(await host.podman(["image", "inspect", "--format", "{{.Size}}", bases.runtime]));
        const node = fs.statSync(bases.node.binary).size;
        const manifest = JSON.parse(await mustRun("skopeo", ["inspect", "--raw", "--tls-verify=false", `docker://${reference}`], { env: host.env })) as {
            config: { size: number };
            layers: { size: number }[];
        };
        const compressed = manifest.config.size + manifest.layers.reduce((sum, layer) => sum + layer.size, 0);
        console.log(
            `      image ${mib(size)} = node ${mib(node)} + ${mib(size - node)} (libraries and CA certificates ${mib(base - node)}, service ${mib(size - base)}); ` +
                `compressed, what a node pulls: ${mib(compressed)}`,
        );
        assert.ok(size - node < budgetOverNode, `the image is ${mib(size - node)} more than the Node binary`);
    });

    it("holds no shell, no package manager and no program but node", async () => {
        const script = [
            "const fs = require('fs'); const path = require('path'); const found = { programs: [], named: [] };",
            "const walk = (dir) => { for (const e of fs.readdirSync(dir, { withFileTypes: true })) { const p = path.join(dir, e.name);",
            "  if (e.isDirectory()) { if (!['/proc', '/sys', '/dev', '/app'].includes(p)) walk(p); continue; }",
            `  if (${JSON.stringify(forbiddenPrograms)}.includes(e.name)) found.named.push(p);`,
            "  if (e.isFile() && (fs.statSync(p).mode & 0o111) && !/\\.so(\\.\\d+)*$/.test(e.name)) found.programs.push(p); } };",
            "walk('/'); console.log(JSON.stringify(found));",
        ].join("\n");
        const found = JSON.parse(await host.podman(["run", "--rm", "--network", "none", reference, "node", "-e", script])) as { programs: string[]; named: string[] };
        assert.deepEqual(found, { programs: [runtimeNode], named: [] });
        assert.notEqual((await host.tryPodman(["run", "--rm", "--network", "none", reference, "sh", "-c", "true"])).code, 0, "a shell ran");
    });

    it("runs the Node the registry carries, and any script of the image as `node <script>` with no shell", async () => {
        assert.equal(await host.podman(["run", "--rm", "--network", "none", reference, "node", "--version"]), `v${bases.node.version}`);
        const check = await host.tryPodman(["run", "--rm", "--network", "host", "--env", `PORT=${port}`, reference, "node", "dist/healthcheck.js"]);
        assert.equal(check.code, 0, check.stderr);
    });

    it("ships the compiled service with its production dependencies only: no sources, tests or dev tools", async () => {
        const script = [
            "const fs = require('fs');",
            "const dirs = (d) => fs.readdirSync(d).map((n) => `${d}/${n}`);",
            "const packages = dirs('node_modules').flatMap((d) => (d.includes('/@') ? dirs(d) : [d])).filter((d) => fs.existsSync(`${d}/package.json`));",
            "console.log(JSON.stringify([fs.readdirSync('.'), packages]))",
        ].join(" ");
        const [app, packages] = JSON.parse(await host.podman(["run", "--rm", "--network", "none", reference, "node", "-e", script])) as string[][];
        assert.deepEqual(app.sort(), ["dist", "node_modules", "package.json"]);
        assert.deepEqual(packages.sort(), productionPackages());
    });

    it("runs as the image's numeric non-root user, with no capabilities and no privilege escalation", async () => {
        assert.equal(await host.podman(["image", "inspect", "--format", "{{.Config.User}}", reference]), "10001:10001");
        const pid = await host.podman(["inspect", "--format", "{{.State.Pid}}", container]);
        const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
        assert.match(status, /^Uid:\s+10001\s+10001\s+10001\s+10001$/m);
        assert.match(status, /^CapEff:\s+0+$/m);
        assert.match(status, /^NoNewPrivs:\s+1$/m);
    });

    it("serves its health endpoints and stores notes in PostgreSQL, reading the database settings from mounted secret files", async () => {
        assert.deepEqual((await request(port, "GET", "/health/startup")).body, { status: "started" });
        assert.deepEqual((await request(port, "GET", "/health/live")).body, { status: "alive" });
        assert.deepEqual((await request(port, "GET", "/health/ready")).body, { status: "ready" });
        const created = await request(port, "POST", "/notes", { body: { text: "from the container" } });
        assert.equal(created.status, 201);
        assert.deepEqual((await request(port, "GET", `/notes/${created.body.id}`)).body, created.body);
    });

    it("writes nowhere but /tmp: the root filesystem is read-only", async () => {
        const script =
            "const fs = require('fs'); const tryWrite = (f) => { try { fs.writeFileSync(f, 'x'); return 'ok'; } catch (e) { return e.code; } };" +
            "console.log(['/app/x', '/x', '/tmp/x'].map(tryWrite).join(' '))";
        assert.equal(await host.podman(["exec", container, "node", "-e", script]), "EROFS EROFS ok");
    });

    it("resolves host names from /etc/hosts and reads the CA certificates, with glibc alone", async () => {
        const script =
            "require('dns').lookup('localhost', { family: 4 }, (err, address) => " +
            "console.log(JSON.stringify([err ? err.code : address, require('tls').getCACertificates('system').length])))";
        const [address, authorities] = JSON.parse(await host.podman(["exec", container, "node", "-e", script])) as [string, number];
        assert.equal(address, "127.0.0.1");
        assert.ok(authorities > 0, "no CA certificate in the image's bundle");
    });

    it("passes its HEALTHCHECK, which needs nothing but node", async () => {
        const check = await host.podman(["image", "inspect", "--format", "{{json .Config.Healthcheck.Test}}", reference]);
        assert.deepEqual(JSON.parse(check), ["CMD", runtimeNode, "dist/healthcheck.js"]);
        assert.equal((await host.tryPodman(["healthcheck", "run", container])).code, 0);
    });

    it("drains and exits 0 on SIGTERM", async () => {
        await host.podman(["kill", "--signal", "TERM", container]);
        assert.equal(await host.podman(["wait", container]), "0");
        const logs = (await host.podman(["logs", container])).split("\n").map((line) => JSON.parse(line) as { msg: string; clean?: boolean });
        assert.deepEqual(logs.at(-1), { ...logs.at(-1), msg: "stopped", clean: true });
        assert.ok(logs.some((line) => line.msg === "draining"));
    });
});
