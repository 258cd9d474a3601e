import * as fs from "fs";
import { parseArgs } from "util";

// After a deploy: asks each service, through its ALB, whether it is ready (`/health/ready`, which
// checks the database too), retrying a bounded number of times while the ALB and DNS settle.

const usage = `Smoke-tests a deployed stack through its load balancers.

  pulumi stack output --json --stack dev > outputs.json
  npm run smoke -- --outputs outputs.json [--attempts 30] [--interval 10]

Reads the stack output serviceUrls (service name → base URL) and waits until GET <url>/health/ready
answers 2xx for every service, trying each at most --attempts times, --interval seconds apart.`;

/** The readiness endpoint every service serves (see the example service). */
export const readinessPath = "/health/ready";

export interface SmokeTarget {
    service: string;
    url: string;
}

/** The readiness URL of each service, from the stack's `serviceUrls` output. */
export function smokeTargets(outputs: Record<string, unknown>): SmokeTarget[] {
    const urls = outputs.serviceUrls;
    if (typeof urls !== "object" || urls === null || Array.isArray(urls)) {
        throw new Error("the stack has no serviceUrls output (an object of service name → base URL): nothing tells where the services answer");
    }
    return Object.entries(urls).map(([service, base]) => {
        if (typeof base !== "string" || !/^https?:\/\//.test(base)) {
            throw new Error(`serviceUrls.${service}: ${JSON.stringify(base)} is not an http(s) URL`);
        }
        return { service, url: `${base.replace(/\/+$/, "")}${readinessPath}` };
    });
}

/** One try: the HTTP status, or why there was none. */
export interface Attempt {
    status?: number;
    error?: string;
}

export interface WaitOptions {
    /** Most requests to make; the only bound on how long the wait lasts. */
    attempts: number;
    /** Waits between two attempts (never after the last). */
    pause: () => Promise<void>;
    /** Seconds a single request may take. Defaults to 10. */
    requestTimeoutSeconds?: number;
    fetch?: typeof fetch;
}

/** Requests the URL until it answers 2xx or the attempts run out; returns every attempt made. */
export async function waitUntilReady(url: string, options: WaitOptions): Promise<{ ready: boolean; attempts: Attempt[] }> {
    const get = options.fetch ?? fetch;
    const attempts: Attempt[] = [];
    for (let i = 0; i < options.attempts; i++) {
        if (i > 0) {
            await options.pause();
        }
        try {
            const response = await get(url, { signal: AbortSignal.timeout((options.requestTimeoutSeconds ?? 10) * 1000), redirect: "follow" });
            await response.arrayBuffer();
            attempts.push({ status: response.status });
            if (response.ok) {
                return { ready: true, attempts };
            }
        } catch (error) {
            attempts.push({ error: error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error) });
        }
    }
    return { ready: false, attempts };
}

function describeAttempt(attempt: Attempt): string {
    return attempt.status !== undefined ? `HTTP ${attempt.status}` : (attempt.error ?? "no answer");
}

function positiveInteger(name: string, text: string): number {
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1) {
        throw new Error(`--${name} ${text}: expected a whole number of at least 1`);
    }
    return value;
}

async function main(): Promise<void> {
    const { values } = parseArgs({
        options: {
            outputs: { type: "string" },
            attempts: { type: "string", default: "30" },
            interval: { type: "string", default: "10" },
            help: { type: "boolean", default: false },
        },
    });
    if (values.help || !values.outputs) {
        console.log(usage);
        process.exitCode = values.help ? 0 : 1;
        return;
    }
    const attempts = positiveInteger("attempts", values.attempts);
    const intervalMs = positiveInteger("interval", values.interval) * 1000;
    const targets = smokeTargets(JSON.parse(fs.readFileSync(values.outputs, "utf8")) as Record<string, unknown>);
    let failed = 0;
    for (const target of targets) {
        const result = await waitUntilReady(target.url, { attempts, pause: () => new Promise((resolve) => setTimeout(resolve, intervalMs)) });
        const last = result.attempts[result.attempts.length - 1];
        if (result.ready) {
            console.log(`${target.service}: ready (${target.url}, attempt ${result.attempts.length})`);
        } else {
            failed++;
            console.error(`${target.service}: not ready after ${result.attempts.length} attempts (${target.url}); last answer: ${describeAttempt(last)}`);
        }
    }
    if (targets.length === 0) {
        console.log("The stack exposes no service: nothing to smoke-test.");
    }
    process.exitCode = failed > 0 ? 1 : 0;
}

if (require.main === module) {
    main().catch((error: unknown) => {
        console.error(error instanceof Error ? error.message : String(error));
        process.exitCode = 1;
    });
}
