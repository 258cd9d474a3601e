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

/** OpenSSL's and Node's codes for a server certificate that does not verify against the CA bundle or the host name. */
const certificateErrorCodes = new Set([
    "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
    "UNABLE_TO_GET_ISSUER_CERT",
    "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
    "SELF_SIGNED_CERT_IN_CHAIN",
    "DEPTH_ZERO_SELF_SIGNED_CERT",
    "CERT_SIGNATURE_FAILURE",
    "CERT_HAS_EXPIRED",
    "CERT_NOT_YET_VALID",
    "CERT_UNTRUSTED",
    "CERT_REJECTED",
    "INVALID_CA",
    "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/**
 * The database could not prove who it is: its certificate does not verify, or it offers no TLS
 * while verification was asked for. Retrying cannot fix this; the service refuses to start.
 */
export class UnverifiedDatabase extends Error {
    constructor(cause: Error) {
        super(`the database's TLS certificate cannot be verified: ${cause.message}`, { cause });
        this.name = "UnverifiedDatabase";
    }
}

/** The error as an {@link UnverifiedDatabase} when it says the server's identity failed verification. */
export function unverified(error: unknown): UnverifiedDatabase | undefined {
    if (!(error instanceof Error)) {
        return undefined;
    }
    const code = (error as NodeJS.ErrnoException).code;
    if ((code !== undefined && certificateErrorCodes.has(code)) || error.message === "The server does not support SSL connections") {
        return new UnverifiedDatabase(error);
    }
    return undefined;
}
