import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { Client } from "pg";
import { loginName, type LoginTrack } from "../../../components/database/roleNames";
import { scramVerifier } from "../../../components/database/scram";
import { loginsToLock, type RolePlan, trackOfLogin } from "../src/roles";
import { TestAuthority } from "./support/certificates";
import { PostgresServer } from "./support/postgresServer";
import { ServiceProcess } from "./support/serviceProcess";

/** A login as the platform makes it: name and verifier from a password. */
function login(service: string, track: LoginTrack, password: string) {
    const name = loginName(service, track, password);
    return { name, password, verifier: scramVerifier(password, name) };
}

describe("role bootstrap against a real PostgreSQL server, as the RDS-like master over verify-full TLS", function () {
    this.timeout(120_000);
    let postgres: PostgresServer;
    let authority: TestAuthority;
    let dir: string;
    const open: Client[] = [];

    before(async () => {
        authority = TestAuthority.create("Test RDS CA");
        postgres = await PostgresServer.create({ tls: authority.issueServer(["127.0.0.1"]) });
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "role-bootstrap-"));
        fs.writeFileSync(path.join(dir, "ca.pem"), authority.certificate);
        fs.writeFileSync(path.join(dir, "master-password"), postgres.master.password);
    });

    after(async () => {
        await postgres?.destroy();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    afterEach(async () => {
        await Promise.all(open.splice(0).map((client) => client.end().catch(() => undefined)));
    });

    /** The bootstrap's entry point run as the Job runs it: node, the env, the plan and secrets as files. */
    async function bootstrap(plan: RolePlan, env: Record<string, string> = {}) {
        const planFile = path.join(dir, `plan-${plan.role}.json`);
        fs.writeFileSync(planFile, JSON.stringify(plan));
        const process = new ServiceProcess(
            {
                DATABASE_HOST: postgres.host,
                DATABASE_PORT: String(postgres.port),
                DATABASE_NAME: postgres.master.database,
                DATABASE_USER: postgres.master.user,
                DATABASE_PASSWORD_FILE: path.join(dir, "master-password"),
                DATABASE_SSL: "verify-full",
                DATABASE_SSL_CA_FILE: path.join(dir, "ca.pem"),
                ROLE_PLAN_FILE: planFile,
                ...env,
            },
            "bootstrap.ts",
        );
        const exit = await process.exited;
        return { exit, logs: process.logs, strayOutput: process.strayOutput };
    }

    async function applied(plan: RolePlan) {
        const run = await bootstrap(plan);
        assert.deepEqual(run.exit, { code: 0, signal: null }, JSON.stringify(run.logs));
        assert.deepEqual(run.strayOutput, []);
        return run.logs[run.logs.length - 1];
    }

    async function as(user: { name: string; password: string }): Promise<Client> {
        const client = await postgres.connect(user.name, user.password, postgres.master.database);
        open.push(client);
        return client;
    }

    async function roles(names: string[]): Promise<Record<string, { oid: string; canLogin: boolean }>> {
        const admin = await postgres.superuser();
        try {
            const { rows } = await admin.query("SELECT rolname, oid::text, rolcanlogin FROM pg_roles WHERE rolname = ANY($1)", [names]);
            return Object.fromEntries(rows.map((r) => [r.rolname, { oid: r.oid, canLogin: r.rolcanlogin }]));
        } finally {
            await admin.end();
        }
    }

    async function refusal(client: Client, sql: string): Promise<string> {
        try {
            await client.query(sql);
        } catch (error) {
            return `${(error as { code?: string }).code} ${(error as Error).message}`;
        }
        assert.fail(`${sql} was allowed`);
    }

    it("run twice, creates the service's role, schema and login once; the second run changes nothing", async () => {
        const catalog = login("catalog", "rolling", "first-api-password-0123456789abcdef");
        const plan = { role: "catalog", logins: [{ name: catalog.name, verifier: catalog.verifier }] };
        const first = await applied(plan);
        assert.equal(first.msg, "roles applied");
        assert.deepEqual(first.created, ["catalog", "schema catalog", catalog.name]);
        const before = await roles(["catalog", catalog.name]);
        assert.deepEqual(before.catalog.canLogin, false, "the group role cannot log in");

        const second = await applied(plan);
        assert.equal(second.msg, "roles already in place");
        assert.deepEqual([second.created, second.locked], [[], []]);
        assert.deepEqual(await roles(["catalog", catalog.name]), before, "the same roles, not dropped and made again");

        const client = await as(catalog);
        const { rows } = await client.query("SELECT current_user, session_user, array_to_string(current_schemas(false), ',') AS path");
        assert.deepEqual(rows[0], { current_user: "catalog", session_user: catalog.name, path: "catalog" }, "the login acts as the service's role in its own schema");
    });

    it("lets a service create and use tables in its own schema, and refuses another service's schema, roles, databases and the master's settings", async () => {
        const catalog = login("catalog", "rolling", "api-password-for-isolation-0123456789");
        const billing = login("billing", "rolling", "billing-password-for-isolation-012345");
        await applied({ role: "catalog", logins: [{ name: catalog.name, verifier: catalog.verifier }] });
        await applied({ role: "billing", logins: [{ name: billing.name, verifier: billing.verifier }] });

        const asBilling = await as(billing);
        await asBilling.query("CREATE TABLE invoices (id int PRIMARY KEY, total numeric)");
        await asBilling.query("INSERT INTO invoices VALUES (1, 42)");
        assert.deepEqual((await asBilling.query("SELECT schemaname, tableowner FROM pg_tables WHERE tablename = 'invoices'")).rows, [{ schemaname: "billing", tableowner: "billing" }]);

        const asCatalog = await as(catalog);
        await asCatalog.query("CREATE TABLE items (id int PRIMARY KEY, name text)");
        await asCatalog.query("INSERT INTO items VALUES (1, 'kept')");
        assert.deepEqual((await asCatalog.query("SELECT name FROM catalog.items")).rows, [{ name: "kept" }]);

        assert.match(await refusal(asCatalog, "SELECT * FROM billing.invoices"), /^42501 permission denied for schema billing/);
        assert.match(await refusal(asCatalog, "CREATE TABLE billing.stolen (id int)"), /^42501 permission denied for schema billing/);
        assert.match(await refusal(asCatalog, "CREATE TABLE public.shared (id int)"), /^42501 permission denied for schema public/);
        assert.match(await refusal(asCatalog, "CREATE ROLE intruder LOGIN"), /^42501 permission denied to create role/);
        assert.match(await refusal(asCatalog, "CREATE DATABASE other"), /^42501 permission denied to create database/);
        assert.match(await refusal(asCatalog, `ALTER ROLE ${postgres.master.user} PASSWORD 'taken'`), /^42501 permission denied to alter role/);
        assert.match(await refusal(asCatalog, `ALTER DATABASE ${postgres.master.database} SET search_path = catalog`), /^42501 must be owner of database/);
        assert.match(await refusal(asCatalog, "SET ROLE billing"), /^42501 permission denied to set role "billing"/);
    });

    it("rotates without a gap: the new login owns the same tables, the previous one works until the next rotation, older ones are locked", async () => {
        const generations = [1, 2, 3].map((n) => login("orders", "rolling", `orders-password-generation-${n}-0123456789`));
        const planOf = (g: (typeof generations)[number]) => ({ role: "orders", logins: [{ name: g.name, verifier: g.verifier }] });

        await applied(planOf(generations[0]));
        await (await as(generations[0])).query("CREATE TABLE orders (id int PRIMARY KEY)");

        const second = await applied(planOf(generations[1]));
        assert.deepEqual(second.locked, [], "the pods still on the first login keep logging in during the rollout");
        await (await as(generations[1])).query("INSERT INTO orders VALUES (1)");
        assert.deepEqual((await (await as(generations[0])).query("SELECT id FROM orders")).rows, [{ id: 1 }]);

        const third = await applied(planOf(generations[2]));
        assert.deepEqual(third.locked, [generations[0].name]);
        await assert.rejects(as(generations[0]), /password authentication failed|not permitted to log in/);
        assert.deepEqual((await (await as(generations[1])).query("SELECT id FROM orders")).rows, [{ id: 1 }]);
        assert.deepEqual((await (await as(generations[2])).query("SELECT id FROM orders")).rows, [{ id: 1 }]);
    });

    it("keeps each color's login its own: a new blue login leaves the green one logging in", async () => {
        const blue = [1, 2, 3].map((n) => login("shop", "blue", `shop-blue-password-${n}-0123456789abcdef`));
        const green = login("shop", "green", "shop-green-password-0123456789abcdef");
        for (const current of blue) {
            await applied({ role: "shop", logins: [current, green].map(({ name, verifier }) => ({ name, verifier })) });
        }
        const state = await roles([...blue.map((b) => b.name), green.name]);
        assert.deepEqual(
            [...blue, green].map((l) => state[l.name].canLogin),
            [false, true, true, true],
        );
        await (await as(green)).query("SELECT 1");
    });

    it("switching strategy, keeps the leaving track's login logging in for the update that brings the new tracks in, and locks it with the next plan", async () => {
        const rolling = login("cart", "rolling", "cart-rolling-password-0123456789abcd");
        const blue = [1, 2].map((n) => login("cart", "blue", `cart-blue-password-${n}-0123456789abcd`));
        const green = login("cart", "green", "cart-green-password-0123456789abcdef");
        const only = (...logins: { name: string; verifier: string }[]) => ({ role: "cart", logins: logins.map(({ name, verifier }) => ({ name, verifier })) });

        await applied(only(rolling));
        await (await as(rolling)).query("CREATE TABLE carts (id int PRIMARY KEY)");
        const switched = await applied(only(blue[0], green));
        assert.deepEqual(switched.locked, [], "the rolling pods still serve until the update removes them");
        await (await as(rolling)).query("INSERT INTO carts VALUES (1)");
        assert.deepEqual((await (await as(blue[0])).query("SELECT id FROM carts")).rows, [{ id: 1 }], "the colors own the rolling track's tables");

        const next = await applied(only(blue[1], green));
        assert.deepEqual(next.locked, [rolling.name], "no rolling pod is left after the switch: its login stops");
        await assert.rejects(as(rolling), /password authentication failed|not permitted to log in/);
    });

    it("fails with the database's own error, on one line, when the master cannot log in or the database does not answer", async () => {
        const catalog = login("catalog", "rolling", "api-password-for-failures-0123456789");
        const plan = { role: "catalog", logins: [{ name: catalog.name, verifier: catalog.verifier }] };
        fs.writeFileSync(path.join(dir, "wrong-password"), "not-the-master-password");
        const wrong = await bootstrap(plan, { DATABASE_PASSWORD_FILE: path.join(dir, "wrong-password") });
        assert.equal(wrong.exit.code, 1);
        assert.equal(wrong.logs.length, 1);
        assert.equal(wrong.logs[0].level, "error");
        assert.equal(wrong.logs[0].error, `password authentication failed for user "${postgres.master.user}"`);
        assert.equal(wrong.logs[0].errorCode, "28P01");

        const closed = await bootstrap(plan, { DATABASE_PORT: "1" });
        assert.equal(closed.exit.code, 1);
        assert.equal(closed.logs.length, 1);
        assert.equal(closed.logs[0].errorCode, "ECONNREFUSED");
        assert.deepEqual([wrong.strayOutput, closed.strayOutput], [[], []], "no stack trace");
    });

    it("refuses a database whose certificate another CA signed, and a role it did not make", async () => {
        fs.writeFileSync(path.join(dir, "other-ca.pem"), TestAuthority.create("Another CA").certificate);
        const catalog = login("catalog", "rolling", "api-password-for-refusals-0123456789");
        const untrusted = await bootstrap({ role: "catalog", logins: [{ name: catalog.name, verifier: catalog.verifier }] }, { DATABASE_SSL_CA_FILE: path.join(dir, "other-ca.pem") });
        assert.equal(untrusted.exit.code, 1);
        assert.match(untrusted.logs[0].msg, /TLS certificate cannot be verified/);

        const admin = await postgres.superuser(postgres.master.database);
        await admin.query("CREATE ROLE legacy NOLOGIN");
        await admin.end();
        const legacy = login("legacy", "rolling", "legacy-password-0123456789abcdef");
        const taken = await bootstrap({ role: "legacy", logins: [{ name: legacy.name, verifier: legacy.verifier }] });
        assert.equal(taken.exit.code, 1);
        assert.equal(taken.logs[0].error, "role legacy exists and was not made by the role bootstrap; rename that role or the service");
    });
});

describe("role bootstrap: which logins keep logging in", () => {
    const names = (service: string, track: LoginTrack, n: number) => Array.from({ length: n }, (_, i) => loginName(service, track, `password-${i}`));

    it("reads the track of every login the platform names, and of no other role", () => {
        for (const track of ["rolling", "blue", "green"] as const) {
            for (const name of names("billing-api", track, 5)) {
                assert.equal(trackOfLogin("billing-api", name), track);
                assert.equal(trackOfLogin("billing", name), undefined, "a service whose name prefixes another's owns none of its logins");
            }
        }
        assert.equal(trackOfLogin("api", "api"), undefined);
        assert.equal(trackOfLogin("api", "api_blue"), undefined);
    });

    it("keeps the wanted login and the newest older one of its track, and locks the rest", () => {
        const [a, b, c] = names("api", "rolling", 3);
        const existing = [
            { name: a, oid: 10, canLogin: true },
            { name: b, oid: 20, canLogin: true },
            { name: c, oid: 30, canLogin: true },
        ];
        assert.deepEqual(loginsToLock("api", existing, [c]), [a]);
        assert.deepEqual(loginsToLock("api", existing, [b]), [a], "after a revert, the newest login (still in the pods) stays");
        assert.deepEqual(loginsToLock("api", existing.map((l) => ({ ...l, canLogin: l.name === c })), [c]), [], "locked logins stay locked, nothing to do");
    });

    it("keeps the newest login of a track leaving the plan only in the run that creates the logins of a track coming in", () => {
        const [r1, r2] = names("api", "rolling", 2);
        const [b1, b2] = names("api", "blue", 2);
        const [g1] = names("api", "green", 1);
        const rolling = [
            { name: r1, oid: 10, canLogin: true },
            { name: r2, oid: 20, canLogin: true },
        ];
        const colors = [
            { name: b1, oid: 30, canLogin: true },
            { name: g1, oid: 40, canLogin: true },
        ];
        assert.deepEqual(loginsToLock("api", [...rolling, ...colors], [b1, g1], [b1, g1]), [r1], "rolling → blueGreen: the newest rolling login stays, the older one goes");
        assert.deepEqual(loginsToLock("api", [...rolling, ...colors], [b1, g1], []), [r1, r2], "the same plan run again (nothing made now): the rolling track is gone");
        assert.deepEqual(
            loginsToLock("api", [...rolling, ...colors, { name: b2, oid: 50, canLogin: true }], [b2, g1], [b2]),
            [r1, r2],
            "a rotation of blue brings no track in: the rolling logins go",
        );
        const back = [...colors, { name: r1, oid: 10, canLogin: false }, { name: r2, oid: 60, canLogin: true }];
        assert.deepEqual(loginsToLock("api", back, [r2], [r2]), [], "blueGreen → rolling: both colors' logins stay for the switching update");
        assert.deepEqual(loginsToLock("api", back, [r2], []), [b1, g1]);
    });
});
