import type { Pool } from "pg";
import type { Logger } from "./log";

/** One schema change, applied once, in order of `version`. Never edit one that has shipped. */
export interface Migration {
    readonly version: number;
    readonly description: string;
    readonly sql: string;
}

export const migrations: readonly Migration[] = [
    {
        version: 1,
        description: "notes",
        sql: `CREATE TABLE notes (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            text text NOT NULL CHECK (char_length(text) BETWEEN 1 AND 1000),
            created_at timestamptz NOT NULL DEFAULT now()
        )`,
    },
    {
        version: 2,
        description: "notes listed newest first",
        sql: "CREATE INDEX notes_created_at ON notes (created_at DESC, id DESC)",
    },
];

// Replicas starting together serialise on this lock, so each migration runs exactly once.
const lockKey = 7_236_051_001;

/**
 * Applies the migrations the database has not recorded yet, in one transaction. Safe to run on
 * every start and from several replicas at once. Returns the versions it applied.
 */
export async function migrate(pool: Pool, log: Logger, all: readonly Migration[] = migrations): Promise<number[]> {
    const client = await pool.connect();
    try {
        await client.query("BEGIN");
        await client.query("SELECT pg_advisory_xact_lock($1)", [lockKey]);
        await client.query(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
        );
        const { rows } = await client.query<{ version: number }>("SELECT version FROM schema_migrations");
        const done = new Set(rows.map((row) => row.version));
        const applied: number[] = [];
        for (const migration of [...all].sort((a, b) => a.version - b.version)) {
            if (done.has(migration.version)) {
                continue;
            }
            await client.query(migration.sql);
            await client.query("INSERT INTO schema_migrations (version, description) VALUES ($1, $2)", [migration.version, migration.description]);
            applied.push(migration.version);
        }
        await client.query("COMMIT");
        log.info("database schema up to date", { applied, known: all.length });
        return applied;
    } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
    } finally {
        client.release();
    }
}
