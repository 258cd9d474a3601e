import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loginName } from "../../../components/database/roleNames";
import { scramVerifier } from "../../../components/database/scram";
import { applyPlan } from "../src/roles";
import { request, statusOf } from "./support/http";
import { eventually } from "./support/poll";
import { freePort, PostgresServer } from "./support/postgresServer";
import { TestAuthority } from "./support/certificates";
import { ServiceProcess } from "./support/serviceProcess";

describe("api service: TLS to the database, verify-full against the mounted CA bundle", function () {
    this.timeout(120_000);
    let postgres: PostgresServer;
    let dir: string;
    const running: ServiceProcess[] = [];
    const password = "tls-login-password-0123456789abcdef";
    const login = loginName("tls", "rolling", password);

    before(async () => {
        const authority = TestAuthority.create("Test RDS CA");
        // Like an RDS endpoint's certificate: signed by the CA, valid for the address the service dials.
        postgres = await PostgresServer.create({ tls: authority.issueServer(["127.0.0.1"]) });
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "api-tls-"));
        fs.writeFileSync(path.join(dir, "ca.pem"), authority.certificate);
        fs.writeFileSync(path.join(dir, "other-ca.pem"), TestAuthority.create("Another CA").certificate);
        fs.writeFileSync(path.join(dir, "password"), `${password}\n`);
        // The service logs in as the role bootstrap makes its login, not as a superuser or the owner of the database.
        const master = await postgres.connect(postgres.master.user, postgres.master.password, postgres.master.database);
        try {
            await applyPlan(master, { role: "tls", logins: [{ name: login, verifier: scramVerifier(password, login) }] });
        } finally {
            await master.end();
        }
    });

    after(async () => {
        await postgres?.destroy();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    afterEach(async () => {
        await Promise.all(running.splice(0).map((service) => service.stop()));
    });

    /** The service with the files a pod mounts from its database Secret. */
    async function service(env: Record<string, string>) {
        const port = await freePort();
        const process = new ServiceProcess({
            PORT: String(port),
            DATABASE_HOST: postgres.host,
            DATABASE_PORT: String(postgres.port),
            DATABASE_NAME: postgres.master.database,
            DATABASE_USER: login,
            DATABASE_PASSWORD_FILE: path.join(dir, "password"),
            DATABASE_SSL: "verify-full",
            DATABASE_SSL_CA_FILE: path.join(dir, "ca.pem"),
            ...env,
        });
        running.push(process);
        return { process, port };
    }

    it("connects over TLS it has verified, migrates its own schema and serves", async () => {
        const { process, port } = await service({});
        await eventually("the startup probe to pass", async () => ((await statusOf(port, "/health/startup")) === 200 ? true : undefined));
        assert.equal((await request(port, "POST", "/notes", { body: { text: "over verified TLS" } })).status, 201);
        const admin = await postgres.superuser(postgres.master.database);
        try {
            const { rows } = await admin.query(
                "SELECT DISTINCT a.usename, s.ssl FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid) WHERE a.application_name = 'api'",
            );
            assert.deepEqual(rows, [{ usename: login, ssl: true }], "every connection of the service is encrypted");
            const tables = await admin.query("SELECT schemaname, tableowner FROM pg_tables WHERE tablename = 'notes'");
            assert.deepEqual(tables.rows, [{ schemaname: "tls", tableowner: "tls" }]);
        } finally {
            await admin.end();
        }
        assert.deepEqual(process.strayOutput, []);
    });

    for (const [what, env] of [
        ["a server whose certificate another CA signed", { DATABASE_SSL_CA_FILE: "other-ca.pem" }],
        ["a server whose certificate does not name the host it dialled", { DATABASE_HOST: "localhost" }],
    ] as const) {
        it(`refuses to start on ${what}: exit 1 with one error line, no retry`, async () => {
            const overrides = Object.fromEntries(Object.entries(env).map(([key, value]) => [key, key.endsWith("_FILE") ? path.join(dir, value) : value]));
            const { process } = await service(overrides);
            assert.deepEqual(await process.exited, { code: 1, signal: null });
            const errors = process.logs.filter((line) => line.level !== "info" && line.level !== "debug");
            assert.equal(errors.length, 1, JSON.stringify(process.logs));
            assert.equal(errors[0].level, "error");
            assert.equal(errors[0].msg, "refusing to start: the database's TLS certificate cannot be verified against the CA bundle");
            assert.equal(errors[0].host, overrides.DATABASE_HOST ?? postgres.host);
            assert.deepEqual(process.strayOutput, [], "no stack trace");
        });
    }
});
