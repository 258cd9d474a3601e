import { randomUUID } from "crypto";
import type { IncomingMessage, ServerResponse } from "http";

/** A request the client got wrong: answered with `status` and `{ error: message }`. */
export class HttpError extends Error {
    constructor(
        readonly status: number,
        message: string,
        readonly headers: Record<string, string> = {},
    ) {
        super(message);
    }
}

const requestIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's `X-Request-Id` when it is safe to log and echo; a new UUID otherwise. */
export function requestIdFrom(header: string | string[] | undefined): string {
    const given = Array.isArray(header) ? header[0] : header;
    return given !== undefined && requestIdPattern.test(given) ? given : randomUUID();
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const payload = JSON.stringify(body);
    res.writeHead(status, { ...headers, "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(payload) });
    res.end(payload);
}

export const maxBodyBytes = 16 * 1024;

/** The request's JSON body, refusing other media types, oversized bodies and malformed JSON. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
    const type = (req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
    if (type !== "application/json") {
        throw new HttpError(415, "send the body as application/json");
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
        size += (chunk as Buffer).length;
        if (size > maxBodyBytes) {
            throw new HttpError(413, `the body is larger than ${maxBodyBytes} bytes`, { connection: "close" });
        }
        chunks.push(chunk as Buffer);
    }
    try {
        return JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
        throw new HttpError(400, "the body is not valid JSON");
    }
}
