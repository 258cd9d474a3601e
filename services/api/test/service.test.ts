import { strict as assert } from "assert";
import * as http from "http";
import { Pool } from "pg";
import { createLogger } from "../src/log";
import { migrate, migrations } from "../src/migrations";
import { request, statusOf } from "./support/http";
import { eventually } from "./support/poll";
import { freePort, PostgresServer } from "./support/postgresServer";
import { ServiceProcess } from "./support/serviceProcess";

describe("api service against a real PostgreSQL server", function () {
    this.timeout(120_000);
    let postgres: PostgresServer;
    const running: ServiceProcess[] = [];

    before(async () => {
        postgres = await PostgresServer.create();
    });

    after(async () => {
        await postgres?.destroy();
    });

    afterEach(async () => {
        await Promise.all(running.splice(0).map((service) => service.stop()));
    });

    async function startService(env: Record<string, string> = {}): Promise<{ service: ServiceProcess; port: number }> {
        const port = await freePort();
        const service = new ServiceProcess({ ...postgres.serviceEnv(), PORT: String(port), LOG_LEVEL: "debug", ...env });
        running.push(service);
        assert.equal(await service.port(), port);
        return { service, port };
    }

    async function startedService(env: Record<string, string> = {}) {
        const started = await startService(env);
        await eventually("the startup probe to pass", async () => ((await statusOf(started.port, "/health/startup")) === 200 ? true : undefined));
        return started;
    }

    it("reports started, live and ready once its migrations ran", async () => {
        const { service, port } = await startedService();
        assert.deepEqual((await request(port, "GET", "/health/startup")).body, { status: "started" });
        assert.deepEqual((await request(port, "GET", "/health/live")).body, { status: "alive" });
        assert.deepEqual((await request(port, "GET", "/health/ready")).body, { status: "ready" });
        assert.ok(service.logs.some((l) => l.msg === "database schema up to date"));
        assert.deepEqual(service.strayOutput, [], "everything the service prints is a JSON log line");
    });

    it("stores notes in PostgreSQL and returns them by id and newest first", async () => {
        const { port } = await startedService();
        const first = await request(port, "POST", "/notes", { body: { text: "first" } });
        const second = await request(port, "POST", "/notes", { body: { text: "second ✓" } });
        assert.equal(first.status, 201);
        assert.equal(second.headers.location, `/notes/${second.body.id}`);
        assert.deepEqual((await request(port, "GET", `/notes/${first.body.id}`)).body, first.body);
        const listed = await request(port, "GET", "/notes?limit=2");
        assert.deepEqual(
            listed.body.notes.map((n: { text: string }) => n.text),
            ["second ✓", "first"],
        );
        const pool = new Pool({ ...poolSettings(postgres), max: 1 });
        try {
            const { rows } = await pool.query("SELECT text FROM notes WHERE id = $1", [first.body.id]);
            assert.deepEqual(rows, [{ text: "first" }], "the note is in the database, not in memory");
        } finally {
            await pool.end();
        }
    });

    it("keeps an idle connection open as long as HTTP_KEEP_ALIVE_TIMEOUT_MS says, and tells the client so", async () => {
        // Node announces the server's keepAliveTimeout in whole seconds (lib/_http_outgoing.js, Keep-Alive: timeout=).
        const keepAlive = { connection: "keep-alive" };
        const { port } = await startedService({ HTTP_KEEP_ALIVE_TIMEOUT_MS: "305000" });
        assert.equal((await request(port, "GET", "/health/live", { headers: keepAlive })).headers["keep-alive"], "timeout=305");
        const fallback = await startedService();
        assert.equal((await request(fallback.port, "GET", "/health/live", { headers: keepAlive })).headers["keep-alive"], "timeout=65", "above an ALB's default 60 s");
    });

    it("answers a bad request with a 4xx that says what is wrong, and stores nothing", async () => {
        const { port } = await startedService();
        const before = (await request(port, "GET", "/notes?limit=100")).body.notes.length;
        const cases: [string, string, Parameters<typeof request>[3], number][] = [
            ["POST", "/notes", { body: { text: "" } }, 400],
            ["POST", "/notes", { body: { text: "x".repeat(1001) } }, 400],
            ["POST", "/notes", { body: "{not json", headers: { "content-type": "application/json" } }, 400],
            ["POST", "/notes", { body: "text=hi", headers: { "content-type": "application/x-www-form-urlencoded" } }, 415],
            ["POST", "/notes", { body: { text: "y".repeat(20_000) } }, 413],
            ["GET", "/notes?limit=0", {}, 400],
            ["GET", "/notes/999999", {}, 404],
            ["DELETE", "/notes", {}, 405],
            ["GET", "/nowhere", {}, 404],
        ];
        for (const [method, path, options, status] of cases) {
            const reply = await request(port, method, path, options);
            assert.equal(reply.status, status, `${method} ${path}`);
            assert.equal(typeof reply.body.error, "string", `${method} ${path} says why`);
        }
        assert.equal((await request(port, "GET", "/notes?limit=100")).body.notes.length, before);
    });

    it("logs one JSON line per request carrying the request id, the caller's when it sends a safe one", async () => {
        const { service, port } = await startedService();
        const given = await request(port, "GET", "/notes", { headers: { "x-request-id": "trace-42" } });
        const unsafe = await request(port, "GET", "/notes", { headers: { "x-request-id": "spaces and {braces} are not logged verbatim" } });
        assert.equal(given.headers["x-request-id"], "trace-42");
        assert.match(String(unsafe.headers["x-request-id"]), /^[0-9a-f-]{36}$/);
        for (const requestId of [given.headers["x-request-id"], unsafe.headers["x-request-id"]]) {
            const line = await service.waitForLog(`the request line of ${requestId}`, (l) => l.requestId === requestId && l.msg === "request");
            assert.deepEqual({ method: line.method, path: line.path, status: line.status, level: line.level }, { method: "GET", path: "/notes", status: 200, level: "info" });
            assert.equal(typeof line.durationMs, "number");
        }
    });

    it("runs its migrations at every start without touching what is stored", async () => {
        const first = await startedService();
        const note = await request(first.port, "POST", "/notes", { body: { text: "kept" } });
        first.service.signal("SIGTERM");
        assert.equal((await first.service.exited).code, 0);
        const second = await startedService();
        assert.deepEqual((await request(second.port, "GET", `/notes/${note.body.id}`)).body, note.body);
        const migrated = await second.service.waitForLog("the migration line", (l) => l.msg === "database schema up to date");
        assert.deepEqual(migrated.applied, [], "nothing is applied twice");
    });

    it("applies each migration exactly once when replicas start together", async () => {
        const admin = await postgres.superuser();
        await admin.query("CREATE DATABASE replicas OWNER api");
        await admin.end();
        const pools = [0, 1, 2].map(() => new Pool({ ...poolSettings(postgres), database: "replicas" }));
        const log = createLogger(() => undefined, "error");
        try {
            const applied = await Promise.all(pools.map((pool) => migrate(pool, log)));
            assert.deepEqual(applied.flat().sort(), migrations.map((m) => m.version).sort());
            const { rows } = await pools[0].query("SELECT count(*)::int AS n FROM schema_migrations");
            assert.equal(rows[0].n, migrations.length);
        } finally {
            await Promise.all(pools.map((pool) => pool.end()));
        }
    });

    it("turns unready while the database is away and ready when it returns; liveness never depends on it", async () => {
        const { port } = await startedService();
        assert.equal(await statusOf(port, "/health/ready"), 200);
        await postgres.stop();
        try {
            const reply = await eventually("readiness to fail", async () => {
                const r = await request(port, "GET", "/health/ready");
                return r.status === 503 ? r : undefined;
            });
            assert.deepEqual(reply.body, { status: "database unreachable" });
            assert.equal(await statusOf(port, "/health/live"), 200);
            assert.equal((await request(port, "POST", "/notes", { body: { text: "lost" } })).status, 503);
        } finally {
            await postgres.start();
        }
        await eventually("readiness to return", async () => ((await statusOf(port, "/health/ready")) === 200 ? true : undefined));
        assert.equal((await request(port, "POST", "/notes", { body: { text: "back" } })).status, 201);
    });

    it("waits for a database that is down when it starts: live at once, started and ready once it migrates", async () => {
        await postgres.stop();
        let port: number;
        let service: ServiceProcess;
        try {
            ({ service, port } = await startService());
            await service.waitForLog("a failed migration attempt", (l) => l.msg === "database not ready for migrations; retrying");
            assert.equal(await statusOf(port, "/health/live"), 200);
            assert.equal(await statusOf(port, "/health/startup"), 503);
            assert.deepEqual((await request(port, "GET", "/health/ready")).body, { status: "starting" });
        } finally {
            await postgres.start();
        }
        await eventually("the startup probe to pass", async () => ((await statusOf(port, "/health/startup")) === 200 ? true : undefined));
        assert.equal(await statusOf(port, "/health/ready"), 200);
    });

    it("on SIGTERM: unready at once, the request in flight completes, the pool closes and the process exits 0", async () => {
        const { service, port } = await startedService({ SHUTDOWN_DELAY_MS: "1000" });
        const inFlight = openRequest(port, "/notes", JSON.stringify({ text: "sent across the drain" }));
        await inFlight.accepted;

        service.signal("SIGTERM");
        const draining = await eventually("readiness to fail", async () => {
            const r = await request(port, "GET", "/health/ready");
            return r.status === 503 ? r : undefined;
        });
        assert.deepEqual(draining.body, { status: "draining" });
        assert.equal(await statusOf(port, "/health/live"), 200, "liveness holds during the drain, so the pod is not killed early");
        await eventually("the listener to close", async () => ((await statusOf(port, "/health/live")) === undefined ? true : undefined));

        const reply = await inFlight.finish();
        assert.equal(reply.status, 201, "the request accepted before SIGTERM completes");
        assert.equal(reply.headers.connection, "close");
        assert.deepEqual(await service.exited, { code: 0, signal: null });
        const order = service.logs.map((l) => l.msg).filter((m) => ["draining", "stopped"].includes(m));
        assert.deepEqual(order, ["draining", "stopped"]);
        assert.equal(service.logs.find((l) => l.msg === "stopped")?.clean, true);

        const pool = new Pool({ ...poolSettings(postgres), max: 1 });
        try {
            const { rows } = await pool.query("SELECT count(*)::int AS n FROM notes WHERE text = $1", ["sent across the drain"]);
            assert.equal(rows[0].n, 1);
        } finally {
            await pool.end();
        }
    });

    it("on SIGTERM with idle keep-alive connections open, exits 0 without waiting for them to time out", async () => {
        const { service, port } = await startedService();
        const agent = new http.Agent({ keepAlive: true });
        await new Promise<void>((resolve, reject) =>
            http.get({ host: "127.0.0.1", port, path: "/health/live", agent }, (res) => res.resume().on("end", resolve)).on("error", reject),
        );
        const signalledAt = Date.now();
        service.signal("SIGTERM");
        assert.deepEqual(await service.exited, { code: 0, signal: null });
        assert.ok(Date.now() - signalledAt < 5_000, "the idle connection does not hold the drain open");
        agent.destroy();
    });

    it("refuses to start on a bad configuration: exit 1 with one error line naming each problem", async () => {
        const service = new ServiceProcess({ DATABASE_HOST: "db", DATABASE_PORT: "5432x", DATABASE_SSL: "sometimes" });
        running.push(service);
        assert.deepEqual(await service.exited, { code: 1, signal: null });
        assert.equal(service.logs.length, 1);
        assert.equal(service.logs[0].level, "error");
        assert.deepEqual([...service.logs[0].problems].sort(), [
            'DATABASE_PORT: "5432x" is not a port number (1-65535)',
            'DATABASE_SSL: "sometimes" is not one of disable, verify-full',
            "DATABASE_NAME: is missing; set DATABASE_NAME or DATABASE_NAME_FILE",
            "DATABASE_PASSWORD: is missing; set DATABASE_PASSWORD or DATABASE_PASSWORD_FILE",
            "DATABASE_USER: is missing; set DATABASE_USER or DATABASE_USER_FILE",
        ].sort());
        assert.deepEqual(service.strayOutput, [], "no stack trace");
    });
});

function poolSettings(postgres: PostgresServer) {
    return { host: postgres.host, port: postgres.port, user: postgres.user, password: postgres.password, database: postgres.database };
}

/**
 * A POST whose headers the service has accepted (it answered `100 Continue`) but whose body is
 * held back until `finish`: a request in flight for as long as the test wants.
 */
function openRequest(port: number, path: string, body: string) {
    const req = http.request({
        host: "127.0.0.1",
        port,
        path,
        method: "POST",
        agent: false,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), expect: "100-continue" },
    });
    const reply = new Promise<{ status: number; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
        req.on("response", (res) => {
            res.resume();
            res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
        });
        req.on("error", reject);
    });
    const accepted = new Promise<void>((resolve) => req.once("continue", () => resolve()));
    req.flushHeaders();
    return {
        accepted,
        finish: () => {
            req.end(body);
            return reply;
        },
    };
}
