import * as http from "http";

export interface Reply {
    status: number;
    headers: http.IncomingHttpHeaders;
    body: any;
}

/** One request on a fresh connection (no keep-alive), the JSON body parsed. */
export function request(
    port: number,
    method: string,
    path: string,
    { body, headers = {}, host = "127.0.0.1" }: { body?: unknown; headers?: Record<string, string>; host?: string } = {},
): Promise<Reply> {
    return new Promise((resolve, reject) => {
        const payload = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
        const req = http.request(
            {
                host,
                port,
                method,
                path,
                agent: false,
                headers: { ...(payload !== undefined ? { "content-type": "application/json" } : {}), ...headers },
                timeout: 10_000,
            },
            (res) => {
                const chunks: Buffer[] = [];
                res.on("data", (chunk: Buffer) => chunks.push(chunk));
                res.on("end", () => {
                    const text = Buffer.concat(chunks).toString("utf8");
                    const isJson = String(res.headers["content-type"] ?? "").startsWith("application/json");
                    resolve({ status: res.statusCode ?? 0, headers: res.headers, body: isJson ? JSON.parse(text) : text });
                });
                res.on("error", reject);
            },
        );
        req.on("timeout", () => req.destroy(new Error(`${method} ${path} timed out`)));
        req.on("error", reject);
        req.end(payload);
    });
}

/** The status of GET `path`, or undefined when the connection fails. */
export async function statusOf(port: number, path: string): Promise<number | undefined> {
    try {
        return (await request(port, "GET", path)).status;
    } catch {
        return undefined;
    }
}
