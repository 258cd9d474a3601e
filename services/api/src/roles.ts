import type { ClientBase } from "pg";

/**
 * What the role bootstrap makes for one service: a group role that owns everything the service
 * creates, a schema it may create in, and the login roles its pods use now.
 */
export interface RolePlan {
    /** The service's group role and schema name (the service's name). */
    readonly role: string;
    /** One login per track, `<role>_<hex>` (rolling) or `<role>_<color>_<hex>` (blue/green), with its SCRAM-SHA-256 verifier. */
    readonly logins: readonly { readonly name: string; readonly verifier: string }[];
}

/** What a run changed; all empty on a run that found everything in place. */
export interface RoleReport {
    readonly role: string;
    readonly created: string[];
    readonly locked: string[];
}

/** The comment that marks a role as the bootstrap's: it never adopts a role someone else made. */
export const managedComment = "managed by the platform's role bootstrap";

const identifier = /^[a-z][a-z0-9-]{0,47}$/;
const scramVerifier = /^SCRAM-SHA-256\$\d+:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/;

/** The track a login of `role` belongs to (`rolling`, `blue`, `green`), or undefined for a role that is not one of its logins. */
export function trackOfLogin(role: string, login: string): string | undefined {
    const match = new RegExp(`^${role.replace(/[-]/g, "\\-")}_(?:(blue|green)_)?[0-9a-f]{8}$`).exec(login);
    return match ? (match[1] ?? "rolling") : undefined;
}

/** Problems with a plan, one line each; empty when it can be applied. */
export function planProblems(plan: unknown): string[] {
    const p = plan as Partial<RolePlan> | null;
    if (typeof p?.role !== "string" || !identifier.test(p.role)) {
        return [`role: ${JSON.stringify(p?.role)} is not a service name (lowercase letters, digits and -, at most 48)`];
    }
    if (!Array.isArray(p.logins) || p.logins.length === 0) {
        return ["logins: needs at least one login"];
    }
    const problems: string[] = [];
    const tracks = new Set<string>();
    p.logins.forEach((login, i) => {
        const track = typeof login?.name === "string" ? trackOfLogin(p.role as string, login.name) : undefined;
        if (track === undefined) {
            problems.push(`logins[${i}].name: ${JSON.stringify(login?.name)} is not a login of ${p.role} (${p.role}_<8 hex> or ${p.role}_<blue|green>_<8 hex>)`);
        } else if (tracks.has(track)) {
            problems.push(`logins[${i}].name: a second login for the ${track} track`);
        } else {
            tracks.add(track);
        }
        if (typeof login?.verifier !== "string" || !scramVerifier.test(login.verifier)) {
            problems.push(`logins[${i}].verifier: is not a SCRAM-SHA-256 verifier`);
        }
    });
    return problems;
}

export interface ExistingLogin {
    readonly name: string;
    /** Creation order: PostgreSQL hands out role OIDs in increasing order. */
    readonly oid: number;
    readonly canLogin: boolean;
}

/**
 * The service's logins that must stop logging in: every one that is neither wanted now nor the
 * newest other login of a wanted track, which the pods of a rollout in progress still hold. In
 * the run that brings a track in (its login made now, no other of its logins may log in: a strategy
 * switch), the newest login of each track leaving the plan stays too: that track's pods serve
 * until the same update removes them. The next plan locks it.
 */
export function loginsToLock(role: string, existing: readonly ExistingLogin[], wanted: readonly string[], createdNow: readonly string[] = []): string[] {
    const keep = new Set(wanted);
    const newestOther = (track: string | undefined, except: ReadonlySet<string>) =>
        existing.filter((login) => !except.has(login.name) && trackOfLogin(role, login.name) === track).sort((a, b) => b.oid - a.oid)[0];
    for (const name of wanted) {
        const previous = newestOther(trackOfLogin(role, name), new Set([name]));
        if (previous) {
            keep.add(previous.name);
        }
    }
    const wantedTracks = new Set(wanted.map((name) => trackOfLogin(role, name)));
    const arriving = wanted.some((name) => createdNow.includes(name) && !existing.some((login) => login.name !== name && login.canLogin && trackOfLogin(role, login.name) === trackOfLogin(role, name)));
    if (arriving) {
        const leaving = new Set(existing.map((login) => trackOfLogin(role, login.name)).filter((track) => !wantedTracks.has(track)));
        for (const track of leaving) {
            const newest = newestOther(track, keep);
            if (newest) {
                keep.add(newest.name);
            }
        }
    }
    return existing.filter((login) => login.canLogin && !keep.has(login.name)).map((login) => login.name);
}

/** `identifier` quoted for SQL (PostgreSQL's quote_ident rules for the names a plan allows). */
const id = (name: string) => `"${name.replace(/"/g, '""')}"`;
/** `text` as an SQL string literal. */
const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

// One bootstrap at a time per database, whatever the service: role changes then never interleave.
const lockKey = 7_236_051_002;

/**
 * Applies a plan as the master user, in one transaction: the group role (NOLOGIN), its schema, each login (a member that acts as the group, so every object
 * belongs to the group and survives a rotation), then locks the logins no track holds any more.
 * Running it again with the same plan changes nothing.
 */
export async function applyPlan(client: ClientBase, plan: RolePlan): Promise<RoleReport> {
    const report: RoleReport = { role: plan.role, created: [], locked: [] };
    await client.query("BEGIN");
    try {
        await client.query("SELECT pg_advisory_xact_lock($1)", [lockKey]);
        if (await ensureRole(client, plan.role, "NOLOGIN")) {
            report.created.push(plan.role);
        }
        const schema = await client.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [plan.role]);
        if (schema.rowCount === 0) {
            // Owned by the master, who needs no membership in the service's role to make it; the role may use and create in it.
            await client.query(`CREATE SCHEMA ${id(plan.role)}`);
            report.created.push(`schema ${plan.role}`);
        }
        await client.query(`GRANT USAGE, CREATE ON SCHEMA ${id(plan.role)} TO ${id(plan.role)}`);
        // Before PostgreSQL 15 every role may create in public; no service shares a namespace with another.
        await client.query("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
        for (const login of plan.logins) {
            if (await ensureRole(client, login.name, `LOGIN PASSWORD ${literal(login.verifier)}`)) {
                report.created.push(login.name);
            }
            await client.query(`GRANT ${id(plan.role)} TO ${id(login.name)}`);
            // Every session acts as the group: what one login creates, the next one after a rotation owns too.
            await client.query(`ALTER ROLE ${id(login.name)} SET role = ${literal(plan.role)}`);
            await client.query(`ALTER ROLE ${id(login.name)} SET search_path = ${id(plan.role)}`);
        }
        const members = await client.query<{ name: string; oid: string; canLogin: boolean }>(
            `SELECT r.rolname AS name, r.oid::text AS oid, r.rolcanlogin AS "canLogin"
               FROM pg_roles r JOIN pg_auth_members m ON m.member = r.oid JOIN pg_roles g ON g.oid = m.roleid
              WHERE g.rolname = $1`,
            [plan.role],
        );
        const existing = members.rows.filter((row) => trackOfLogin(plan.role, row.name) !== undefined).map((row) => ({ ...row, oid: Number(row.oid) }));
        for (const name of loginsToLock(plan.role, existing, plan.logins.map((login) => login.name), report.created)) {
            await client.query(`ALTER ROLE ${id(name)} NOLOGIN PASSWORD NULL`);
            report.locked.push(name);
        }
        await client.query("COMMIT");
        return report;
    } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
    }
}

/**
 * Creates `name` with `attributes` and PostgreSQL's defaults for the rest (no superuser, no
 * CREATEDB or CREATEROLE, no replication, no RLS bypass), or brings an existing role of the
 * bootstrap's back to them; true when it created it. Only a superuser may even restate the
 * superuser, replication and bypass attributes, which the master on RDS is not.
 */
async function ensureRole(client: ClientBase, name: string, attributes: string): Promise<boolean> {
    const found = await client.query<{ comment: string | null }>("SELECT shobj_description(oid, 'pg_authid') AS comment FROM pg_roles WHERE rolname = $1", [name]);
    if (found.rowCount === 0) {
        await client.query(`CREATE ROLE ${id(name)} ${attributes}`);
        await client.query(`COMMENT ON ROLE ${id(name)} IS ${literal(managedComment)}`);
        return true;
    }
    if (found.rows[0].comment !== managedComment) {
        throw new Error(`role ${name} exists and was not made by the role bootstrap; rename that role or the service`);
    }
    await client.query(`ALTER ROLE ${id(name)} NOCREATEDB NOCREATEROLE INHERIT ${attributes}`);
    return false;
}
