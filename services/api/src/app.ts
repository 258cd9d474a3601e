import type { IncomingMessage, ServerResponse } from "http";
import type { Pool } from "pg";
import { ping } from "./database";
import { HttpError, readJson, requestIdFrom, sendJson } from "./http";
import { errorFields, type Logger } from "./log";
import { createNote, getNote, listNotes, noteProblem } from "./notes";

/** What the health endpoints report: set by the lifecycle, read by every request. */
export interface ServiceState {
    /** Migrations ran and the service can take traffic once the database answers. */
    started: boolean;
    /** SIGTERM arrived: finish what is in flight, take nothing new. */
    draining: boolean;
}

export interface AppDependencies {
    pool: Pool;
    log: Logger;
    state: ServiceState;
    /** How long the readiness check waits for the database. */
    readinessTimeoutMs: number;
}

/** The database failed under a request: the client may retry elsewhere (503), it did nothing wrong. */
class DatabaseUnavailable extends Error {}

async function database<T>(work: () => Promise<T>): Promise<T> {
    try {
        return await work();
    } catch (error) {
        throw new DatabaseUnavailable((error as Error).message, { cause: error });
    }
}

const probePaths = new Set(["/health/live", "/health/ready", "/health/startup"]);

function parseLimit(raw: string | null): number {
    if (raw === null) {
        return 20;
    }
    if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 100) {
        throw new HttpError(400, "limit must be a whole number from 1 to 100");
    }
    return Number(raw);
}

function allow(req: IncomingMessage, methods: string[]): void {
    if (!methods.includes(req.method ?? "")) {
        throw new HttpError(405, `use ${methods.join(" or ")}`, { allow: methods.join(", ") });
    }
}

async function readiness(deps: AppDependencies, res: ServerResponse, log: Logger): Promise<void> {
    if (deps.state.draining) {
        return sendJson(res, 503, { status: "draining" });
    }
    if (!deps.state.started) {
        return sendJson(res, 503, { status: "starting" });
    }
    try {
        await ping(deps.pool, deps.readinessTimeoutMs);
    } catch (error) {
        log.warn("not ready: the database does not answer", errorFields(error));
        return sendJson(res, 503, { status: "database unreachable" });
    }
    // Draining may have begun while the database answered.
    return deps.state.draining ? sendJson(res, 503, { status: "draining" }) : sendJson(res, 200, { status: "ready" });
}

async function route(deps: AppDependencies, req: IncomingMessage, res: ServerResponse, log: Logger): Promise<void> {
    const url = new URL(req.url ?? "/", "http://service");
    const noteId = /^\/notes\/(\d{1,15})$/.exec(url.pathname)?.[1];
    switch (url.pathname) {
        case "/health/live":
            // Liveness only proves the event loop answers: a database outage must not restart pods.
            allow(req, ["GET"]);
            return sendJson(res, 200, { status: "alive" });
        case "/health/startup":
            allow(req, ["GET"]);
            return deps.state.started ? sendJson(res, 200, { status: "started" }) : sendJson(res, 503, { status: "starting" });
        case "/health/ready":
            allow(req, ["GET"]);
            return readiness(deps, res, log);
        case "/notes": {
            allow(req, ["GET", "POST"]);
            if (req.method === "GET") {
                const limit = parseLimit(url.searchParams.get("limit"));
                return sendJson(res, 200, { notes: await database(() => listNotes(deps.pool, limit)) });
            }
            const body = await readJson(req);
            const problem = noteProblem(body);
            if (problem) {
                throw new HttpError(400, problem);
            }
            const note = await database(() => createNote(deps.pool, (body as { text: string }).text));
            return sendJson(res, 201, note, { location: `/notes/${note.id}` });
        }
        default:
            if (noteId !== undefined) {
                allow(req, ["GET"]);
                const note = await database(() => getNote(deps.pool, Number(noteId)));
                return note ? sendJson(res, 200, note) : sendJson(res, 404, { error: `no note ${noteId}` });
            }
            return sendJson(res, 404, { error: `no route ${url.pathname}` });
    }
}

function answerFailure(res: ServerResponse, error: unknown, log: Logger): void {
    if (res.headersSent) {
        res.destroy();
    } else if (error instanceof HttpError) {
        sendJson(res, error.status, { error: error.message }, error.headers);
    } else if (error instanceof DatabaseUnavailable) {
        log.error("database unavailable", errorFields(error.cause));
        sendJson(res, 503, { error: "the database is unavailable; retry later" }, { "retry-after": "1" });
    } else {
        log.error("request failed", errorFields(error));
        sendJson(res, 500, { error: "internal error" });
    }
}

/** The HTTP handler: routes, request ids and one log line per request. */
export function createHandler(deps: AppDependencies): (req: IncomingMessage, res: ServerResponse) => void {
    return (req, res) => {
        const requestId = requestIdFrom(req.headers["x-request-id"]);
        const log = deps.log.child({ requestId });
        const startedAt = process.hrtime.bigint();
        res.setHeader("x-request-id", requestId);
        if (deps.state.draining) {
            // Keep-alive connections end with this response, so the drain is not held open by idle clients.
            res.setHeader("connection", "close");
        }
        res.on("finish", () => {
            const path = (req.url ?? "/").split("?")[0];
            const fields = { method: req.method, path, status: res.statusCode, durationMs: Number(process.hrtime.bigint() - startedAt) / 1e6 };
            // Probes arrive every few seconds: keep them out of the default log level.
            (probePaths.has(path) ? log.debug : log.info)("request", fields);
        });
        route(deps, req, res, log).catch((error) => answerFailure(res, error, log));
    };
}
