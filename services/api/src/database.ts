import { Pool } from "pg";
import type { DatabaseConfig } from "./config";
import { errorFields, type Logger } from "./log";

/** The connection pool, with bounded waits so a lost database turns into errors, not hangs. */
export function createPool(config: DatabaseConfig, log: Logger): Pool {
    const pool = new Pool({
        host: config.host,
        port: config.port,
        database: config.name,
        user: config.user,
        password: config.password,
        ssl: config.ssl,
        max: config.poolMax,
        application_name: "api",
        connectionTimeoutMillis: 3_000,
        idleTimeoutMillis: 30_000,
        query_timeout: 10_000,
    });
    // An idle connection dropped by the server must not crash the process; the pool replaces it.
    pool.on("error", (error) => log.warn("idle database connection lost", errorFields(error)));
    return pool;
}

/** Resolves when the database answers a trivial query within `timeoutMs`; rejects otherwise. */
export async function ping(pool: Pool, timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
        await Promise.race([pool.query("SELECT 1"), timeout]);
    } finally {
        clearTimeout(timer);
    }
}
