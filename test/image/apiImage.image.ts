import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loginName } from "../../components/database/roleNames";
import { scramVerifier } from "../../components/database/scram";
import { TestAuthority } from "../../services/api/test/support/certificates";
import { request, statusOf } from "../../services/api/test/support/http";
import { eventually } from "../../services/api/test/support/poll";
import { freePort, PostgresServer } from "../../services/api/test/support/postgresServer";
import { buildImageStandIn, imageNode } from "./buildImage";
import { mustRun, onPath, secondsSince } from "./commands";
import { ContainerHost } from "./containerHost";
import { serviceDir } from "./dockerfile";
import { controlFields, type ImageEntry, imageEntries, linkDestination, md5Of, md5sumsEntries, packageName, searchOwners } from "./imageFiles";
import { LocalRegistry } from "./localRegistry";

// The example service's real Dockerfile, built with its one upstream image (Node's official build
// image) swapped for a stand-in of the same content, pushed to a registry on loopback, pulled back
// by digest and run the way the cluster runs it: read-only root, no capabilities, no privilege
// escalation, as the image's own user, against a real PostgreSQL server over verified TLS, first as
// the role bootstrap Job, then as the service.

const tools = ["podman", "buildah", "runc", "skopeo", "debootstrap", "docker-registry", "tar", "chroot"];
/** Where the pods mount their secrets (components/service/container.ts, components/database/roleBootstrap.ts). */
const databaseMount = "/var/run/secrets/platform/database";
const planMount = "/var/run/secrets/platform/plan";
/** What the runtime root holds besides node and the files of Debian packages. */
const nsswitch = "/etc/nsswitch.conf";
const dpkgRecords = "/var/lib/dpkg/status.d";

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
/** How the cluster runs every container of the image (components/service/securityContext). */
const restricted = ["--read-only", "--read-only-tmpfs=false", "--tmpfs", "/tmp:rw,size=16m", "--cap-drop", "ALL", "--security-opt", "no-new-privileges"];

/** Writes `values` as files a container's user may read, as a Secret volume does. */
function secretFiles(dir: string, values: Record<string, string>): string {
    fs.mkdirSync(dir, { mode: 0o755 });
    for (const [file, value] of Object.entries(values)) {
        fs.writeFileSync(path.join(dir, file), value, { mode: 0o444 });
    }
    return dir;
}

/** The DATABASE_* variables a pod sets, each value a file of the mounted Secret. */
const databaseEnv = () => [
    ...["HOST", "PORT", "NAME", "PASSWORD"].flatMap((key) => ["--env", `DATABASE_${key}_FILE=${databaseMount}/${key.toLowerCase()}`]),
    ...["--env", `DATABASE_USER_FILE=${databaseMount}/username`],
    ...["--env", "DATABASE_SSL=verify-full", "--env", `DATABASE_SSL_CA_FILE=${databaseMount}/ca.pem`],
];

describe("the api image: built, pushed, pulled by digest and run", function () {
    this.timeout(30 * 60_000);
    const timings: [string, number][] = [];
    let dir: string;
    let host: ContainerHost;
    let registry: LocalRegistry | undefined;
    let postgres: PostgresServer | undefined;
    let reference: string;
    let buildImage: Awaited<ReturnType<typeof buildImageStandIn>>;
    /** The pulled image's root filesystem, mounted read-only on this machine. */
    let root: string;
    let entries: ImageEntry[];
    let port: number;
    let login: string;
    let bootstrapLogs: { msg: string; created?: string[] }[];
    const container = "api";
    /** The service's database role the bootstrap makes. */
    const role = "notes";

    async function timed<T>(step: string, work: () => Promise<T>): Promise<T> {
        const start = Date.now();
        const result = await work();
        timings.push([step, secondsSince(start)]);
        return result;
    }

    /** Runs a command in the stand-in build image, the image the runtime root is taken from. */
    const inBuildImage = (command: string[]) => host.tryPodman(["run", "--rm", "--network", "none", buildImage.image, ...command]);

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
        // Like an RDS endpoint: TLS with a certificate for the address the pods dial, signed by the CA they are given.
        const authority = TestAuthority.create("Test RDS CA");
        postgres = await timed("postgres start", () => PostgresServer.create({ tls: authority.issueServer(["127.0.0.1"]) }));
        buildImage = await timed("debootstrap build image", () => buildImageStandIn(host, path.join(dir, "build-image")));

        const local = "localhost/api:under-test";
        await timed("service image build", () =>
            host.podman([
                "build",
                "--network", "host",
                // Docker's image format keeps HEALTHCHECK, as docker build (and so docker.Image) does.
                "--format", "docker",
                "--build-arg", `BUILD_IMAGE=${buildImage.image}`,
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
        root = await host.podman(["image", "mount", reference]);
        entries = imageEntries(root);

        // The role bootstrap Job first, as the RDS-like master: it makes the service's role and login
        // (`notes`: the server's fixtures already hold a role `api` the bootstrap did not make).
        const password = "image-login-password-0123456789abcdef";
        login = loginName(role, "rolling", password);
        const database = { host: postgres.host, port: String(postgres.port), name: postgres.master.database, "ca.pem": authority.certificate };
        const master = secretFiles(path.join(dir, "master"), { ...database, username: postgres.master.user, password: postgres.master.password });
        const plan = secretFiles(path.join(dir, "plan"), { "plan.json": JSON.stringify({ role, logins: [{ name: login, verifier: scramVerifier(password, login) }] }) });
        const bootstrap = await timed("role bootstrap", () =>
            host.podman([
                "run", "--rm", "--network", "host", ...restricted,
                "--health-interval", "disable",
                "--volume", `${master}:${databaseMount}:ro`,
                "--volume", `${plan}:${planMount}:ro`,
                ...databaseEnv(),
                "--env", `ROLE_PLAN_FILE=${planMount}/plan.json`,
                // The Job's command (components/database/roleBootstrap.ts), with no working directory of its own.
                reference, "node", "dist/bootstrap.js",
            ]),
        );
        bootstrapLogs = bootstrap.split("\n").map((line) => JSON.parse(line) as { msg: string; created?: string[] });

        // Then the service, as that login, with its database Secret mounted as the Deployment mounts it.
        const secrets = secretFiles(path.join(dir, "secrets"), { ...database, username: login, password });
        port = await freePort();
        await host.podman([
            "run", "--detach", "--name", container,
            "--network", "host", ...restricted,
            // No systemd here to schedule the HEALTHCHECK; the test runs it on demand.
            "--health-interval", "disable",
            "--volume", `${secrets}:${databaseMount}:ro`,
            "--env", `PORT=${port}`,
            ...databaseEnv(),
            reference,
        ]);
        await timed("container ready", () =>
            eventually("the container to report ready", async () => ((await statusOf(port, "/health/ready")) === 200 ? true : undefined), { timeoutMs: 60_000 }),
        );
    });

    after(async () => {
        await host?.tryPodman(["image", "unmount", "--all"]);
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

    it("is the Node binary and less than 15 MiB besides: the libraries node links, the dpkg records and the service", async () => {
        const size = Number(await host.podman(["image", "inspect", "--format", "{{.Size}}", reference]));
        const node = fs.statSync(path.join(root, imageNode)).size;
        const sum = (list: ImageEntry[]) => list.reduce((total, entry) => total + entry.size, 0);
        const service = sum(entries.filter((entry) => entry.path.startsWith("/app/")));
        const runtime = sum(entries.filter((entry) => !entry.path.startsWith("/app/") && entry.path !== imageNode));
        const manifest = JSON.parse(await mustRun("skopeo", ["inspect", "--raw", "--tls-verify=false", `docker://${reference}`], { env: host.env })) as {
            config: { size: number };
            layers: { size: number }[];
        };
        const compressed = manifest.config.size + manifest.layers.reduce((total, layer) => total + layer.size, 0);
        console.log(
            `      image ${mib(size)} = node ${mib(node)} + ${mib(size - node)} (libraries, OS files and dpkg records ${mib(runtime)}, service ${mib(service)}); ` +
                `compressed, what a node pulls: ${mib(compressed)}`,
        );
        assert.ok(size - node < budgetOverNode, `the image is ${mib(size - node)} more than the Node binary`);
    });

    it("holds node, the libraries the loader resolves for it in the build image, the OS release files, nsswitch.conf and dpkg records: nothing else outside /app", async () => {
        const linked = (await inBuildImage(["ldd", imageNode])).stdout.match(/\/\S+(?= \(0x)/g) ?? [];
        const resolved = await inBuildImage(["realpath", "--canonicalize-existing", ...linked, "/etc/os-release"]);
        assert.equal(resolved.code, 0, resolved.stderr);
        const expected = [imageNode, "/etc/debian_version", nsswitch, ...resolved.stdout.trim().split("\n")];
        const files = entries.filter((entry) => entry.kind === "file" && !entry.path.startsWith("/app/") && !entry.path.startsWith(`${dpkgRecords}/`));
        assert.deepEqual(files.map((entry) => entry.path).sort(), [...new Set(expected)].sort());
        for (const link of entries.filter((entry) => entry.kind === "link" && !entry.path.startsWith("/app/"))) {
            assert.ok(fs.existsSync(path.join(root, linkDestination(link))), `${link.path} -> ${link.target} leads nowhere in the image`);
        }
        // Every path node's loader asks for exists in the image as in the build image (the loader's /lib64 link, Debian's /lib).
        for (const library of linked) {
            assert.ok(fs.existsSync(path.join(root, library)), `${library} is missing`);
        }
        assert.equal(fs.readFileSync(path.join(root, nsswitch), "utf8"), "hosts: files dns\n");
    });

    it("records in /var/lib/dpkg/status.d exactly the Debian packages whose files it holds, so a scanner reports glibc's and libstdc++'s versions", async () => {
        const packaged = entries.filter((entry) => !entry.path.startsWith("/app/") && entry.path !== imageNode && entry.path !== nsswitch && !entry.path.startsWith(`${dpkgRecords}/`));
        const search = await inBuildImage(["dpkg-query", "--search", ...packaged.map((entry) => entry.path)]);
        const owners = searchOwners(search.stdout);
        assert.deepEqual(packaged.filter((entry) => !owners.has(entry.path)), [], `files of no package:\n${search.stderr}`);
        const packages = [...new Set(owners.values())].sort();

        const records = fs.readdirSync(path.join(root, dpkgRecords));
        assert.deepEqual(records.filter((file) => !file.endsWith(".md5sums")).sort(), packages.map(packageName).sort());
        const installed = await inBuildImage(["dpkg-query", "--show", "--showformat", "${Package} ${Version} ${Architecture}\\n", ...packages]);
        const versions = new Map(installed.stdout.trim().split("\n").map((line) => [line.split(" ")[0], line] as const));
        for (const qualified of packages) {
            const name = packageName(qualified);
            const record = controlFields(fs.readFileSync(path.join(root, dpkgRecords, name), "utf8"));
            assert.equal(`${record.Package} ${record.Version} ${record.Architecture}`, versions.get(name), `the record of ${name}`);
            assert.equal(record.Status, "install ok installed", `the record of ${name}`);
            // The md5sums list the package's regular files the image holds (dpkg lists no links and no conffiles), with their digests.
            const own = packaged.filter((entry) => entry.kind === "file" && owners.get(entry.path) === qualified);
            const listed = await inBuildImage(["dpkg-query", "--control-show", qualified, "md5sums"]);
            const shipped = md5sumsEntries(listed.stdout);
            const expected = own.filter((entry) => shipped.has(entry.path)).map((entry) => [entry.path, md5Of(root, entry.path)]);
            const sums = path.join(root, dpkgRecords, `${name}.md5sums`);
            const recorded = fs.existsSync(sums) ? [...md5sumsEntries(fs.readFileSync(sums, "utf8"))] : [];
            assert.deepEqual(recorded.sort(), expected.sort(), `${name}.md5sums`);
            assert.deepEqual(expected, expected.map(([file]) => [file, shipped.get(file)]), `${name}'s files are as Debian shipped them`);
        }
        assert.ok(["libc6", "libstdc++6"].every((name) => records.includes(name)), `records: ${records.join(", ")}`);
        // Trivy knows the image's distribution from /etc/debian_version (pkg/fanal/analyzer/os/debian/debian.go); others read os-release.
        assert.equal(fs.readFileSync(path.join(root, "etc/debian_version"), "utf8"), (await inBuildImage(["cat", "/etc/debian_version"])).stdout);
        assert.match(fs.readFileSync(path.join(root, "etc/os-release"), "utf8"), /^ID=debian$/m);
        console.log(`      dpkg records: ${[...versions.values()].join(", ")}`);
    });

    it("is never built from a build image whose files it cannot account for: a library node needs is missing, or a file belongs to no package", async () => {
        const assemble = (breakIt: string) =>
            host.tryPodman([
                "run", "--rm", "--network", "none",
                "--volume", `${path.join(serviceDir, "runtime-root.sh")}:/runtime-root.sh:ro`,
                buildImage.image, "bash", "-c", `${breakIt} && bash /runtime-root.sh /rootfs`,
            ]);
        const missing = await assemble(`rm "$(realpath "$(ldd ${imageNode} | grep -o '/[^ ]*libstdc++[^ ]*')")"`);
        assert.notEqual(missing.code, 0);
        assert.match(missing.stderr, /node links a library this image does not have/);
        const unowned = await assemble("rm /var/lib/dpkg/info/base-files.list");
        assert.notEqual(unowned.code, 0);
        assert.match(unowned.stderr, /\/etc\/debian_version belongs to no package/);
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
        assert.deepEqual(found, { programs: [imageNode], named: [] });
        assert.notEqual((await host.tryPodman(["run", "--rm", "--network", "none", reference, "sh", "-c", "true"])).code, 0, "a shell ran");
    });

    it("runs the Node the build image carries, and any script of the image as `node <script>` with no shell", async () => {
        assert.equal(await host.podman(["run", "--rm", "--network", "none", reference, "node", "--version"]), `v${buildImage.node.version}`);
        const check = await host.tryPodman(["run", "--rm", "--network", "host", "--env", `PORT=${port}`, reference, "node", "dist/healthcheck.js"]);
        assert.equal(check.code, 0, check.stderr);
    });

    it("ran the role bootstrap as its Job does, `node dist/bootstrap.js` under the same restrictions, over verified TLS as the master", async () => {
        assert.deepEqual(bootstrapLogs.at(-1), { ...bootstrapLogs.at(-1), msg: "roles applied", created: [role, `schema ${role}`, login] });
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

    it("serves its health endpoints and stores notes in PostgreSQL as the bootstrap's login, over TLS verified against the mounted CA", async () => {
        assert.deepEqual((await request(port, "GET", "/health/startup")).body, { status: "started" });
        assert.deepEqual((await request(port, "GET", "/health/live")).body, { status: "alive" });
        assert.deepEqual((await request(port, "GET", "/health/ready")).body, { status: "ready" });
        const created = await request(port, "POST", "/notes", { body: { text: "from the container" } });
        assert.equal(created.status, 201);
        assert.deepEqual((await request(port, "GET", `/notes/${created.body.id}`)).body, created.body);
        const admin = await postgres!.superuser(postgres!.master.database);
        try {
            const { rows } = await admin.query("SELECT DISTINCT a.usename, s.ssl FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid) WHERE a.application_name = 'api'");
            assert.deepEqual(rows, [{ usename: login, ssl: true }]);
        } finally {
            await admin.end();
        }
    });

    it("writes nowhere but /tmp: the root filesystem is read-only", async () => {
        const script =
            "const fs = require('fs'); const tryWrite = (f) => { try { fs.writeFileSync(f, 'x'); return 'ok'; } catch (e) { return e.code; } };" +
            "console.log(['/app/x', '/x', '/tmp/x'].map(tryWrite).join(' '))";
        assert.equal(await host.podman(["exec", container, "node", "-e", script]), "EROFS EROFS ok");
    });

    it("resolves host names from /etc/hosts with glibc alone, and trusts Node's own root certificates without a system bundle", async () => {
        const script =
            "require('dns').lookup('localhost', { family: 4 }, (err, address) => " +
            "console.log(JSON.stringify([err ? err.code : address, require('tls').rootCertificates.length, require('fs').existsSync('/etc/ssl')])))";
        const [address, roots, systemBundle] = JSON.parse(await host.podman(["exec", container, "node", "-e", script])) as [string, number, boolean];
        assert.equal(address, "127.0.0.1");
        assert.ok(roots > 100, `node carries ${roots} root certificates`);
        assert.equal(systemBundle, false);
    });

    it("passes its HEALTHCHECK, which needs nothing but node", async () => {
        const check = await host.podman(["image", "inspect", "--format", "{{json .Config.Healthcheck.Test}}", reference]);
        assert.deepEqual(JSON.parse(check), ["CMD", imageNode, "dist/healthcheck.js"]);
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
