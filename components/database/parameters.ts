import type { DatabaseSettings } from "../../config/sections/database";

/** PostgreSQL settings: TLS only, slow statements logged, connections and locks visible in the logs. */
export function databaseParameters(settings: DatabaseSettings): { name: string; value: string; applyMethod?: string }[] {
    return [
        { name: "rds.force_ssl", value: "1" },
        { name: "log_min_duration_statement", value: String(settings.slowStatementMs) },
        { name: "log_lock_waits", value: "1" },
        { name: "log_connections", value: "1" },
        { name: "log_disconnections", value: "1" },
    ];
}

/** The parameter group family of a PostgreSQL major version. */
export function parameterFamily(engineVersion: DatabaseSettings["engineVersion"]): string {
    return `postgres${engineVersion}`;
}
