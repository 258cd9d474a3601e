import { readFileSync } from "fs";
import { Client } from "pg";
import { ConfigError, parseConfig } from "./config";
import { unverified } from "./database";
import { createLogger, errorFields } from "./log";
import { applyPlan, planProblems, type RolePlan } from "./roles";

// The role bootstrap (`node dist/bootstrap.js`, no shell): as the master user, from the same
// DATABASE_* variables and files as the service, applies the plan in ROLE_PLAN_FILE and exits.
// Every failure is one JSON line carrying the database's own message; the Job's pod hands it to
// `pulumi up` as its termination message.

const log = createLogger((line) => process.stdout.write(line), "info");
const readFile = (path: string) => readFileSync(path, "utf8");

function fail(msg: string, fields: Record<string, unknown>): never {
    log.error(msg, fields);
    process.exit(1);
}

function readPlan(): RolePlan {
    const file = process.env.ROLE_PLAN_FILE;
    if (!file) {
        fail("invalid configuration", { problems: ["ROLE_PLAN_FILE: is missing; set it to the file holding the role plan"] });
    }
    let plan: unknown;
    try {
        plan = JSON.parse(readFile(file));
    } catch (error) {
        fail("invalid configuration", { problems: [`ROLE_PLAN_FILE: ${JSON.stringify(file)} holds no JSON plan (${(error as Error).message})`] });
    }
    const problems = planProblems(plan);
    if (problems.length > 0) {
        fail("invalid role plan", { problems });
    }
    return plan as RolePlan;
}

async function main(): Promise<void> {
    let database;
    try {
        database = parseConfig(process.env, readFile).database;
    } catch (error) {
        if (error instanceof ConfigError) {
            fail("invalid configuration", { problems: error.problems });
        }
        throw error;
    }
    const plan = readPlan();
    const client = new Client({
        host: database.host,
        port: database.port,
        database: database.name,
        user: database.user,
        password: database.password,
        ssl: database.ssl,
        application_name: "role-bootstrap",
        connectionTimeoutMillis: 10_000,
        query_timeout: 30_000,
    });
    try {
        await client.connect();
        const report = await applyPlan(client, plan);
        log.info(report.created.length + report.locked.length === 0 ? "roles already in place" : "roles applied", { ...report });
    } catch (error) {
        const refused = unverified(error);
        fail(refused ? refused.message : `role bootstrap for ${plan.role} failed`, { host: database.host, ...errorFields(refused?.cause ?? error) });
    } finally {
        await client.end().catch(() => undefined);
    }
}

main().catch((error) => fail("role bootstrap failed", errorFields(error)));
