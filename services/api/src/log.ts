export type Level = "debug" | "info" | "warn" | "error";

const rank: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type Fields = Record<string, unknown>;

/** One JSON object per line on stdout, so the cluster's log pipeline indexes every field. */
export interface Logger {
    debug(msg: string, fields?: Fields): void;
    info(msg: string, fields?: Fields): void;
    warn(msg: string, fields?: Fields): void;
    error(msg: string, fields?: Fields): void;
    /** A logger adding `fields` (e.g. the request id) to every line. */
    child(fields: Fields): Logger;
}

/** An error as log fields: its message and, for system and PostgreSQL errors, its code. */
export function errorFields(error: unknown): Fields {
    if (error instanceof Error) {
        const code = (error as { code?: unknown }).code;
        return { error: error.message || error.name, ...(code !== undefined ? { errorCode: code } : {}) };
    }
    return { error: String(error) };
}

export function createLogger(write: (line: string) => void, level: Level, base: Fields = {}): Logger {
    const emit = (lineLevel: Level, msg: string, fields: Fields = {}) => {
        if (rank[lineLevel] >= rank[level]) {
            write(`${JSON.stringify({ time: new Date().toISOString(), level: lineLevel, msg, ...base, ...fields })}\n`);
        }
    };
    return {
        debug: (msg, fields) => emit("debug", msg, fields),
        info: (msg, fields) => emit("info", msg, fields),
        warn: (msg, fields) => emit("warn", msg, fields),
        error: (msg, fields) => emit("error", msg, fields),
        child: (fields) => createLogger(write, level, { ...base, ...fields }),
    };
}
