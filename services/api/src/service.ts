import { createServer, type Server } from "http";
import type { AddressInfo } from "net";
import type { Pool } from "pg";
import { createHandler, type ServiceState } from "./app";
import type { Config } from "./config";
import { createPool, unverified } from "./database";
import { errorFields, type Logger } from "./log";
import { migrate } from "./migrations";

/** Resolves after `ms`, or as soon as `signal` aborts. */
const wait = (ms: number, signal?: AbortSignal) =>
    new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        signal?.addEventListener("abort", () => {
            clearTimeout(timer);
            resolve();
        });
    });

/**
 * The running service: listens at once (liveness answers during start-up), migrates the database
 * with retries, then reports started. `shutdown` drains it and says how the process should exit.
 */
export class Service {
    readonly state: ServiceState = { started: false, draining: false };
    private readonly pool: Pool;
    private readonly server: Server;
    private readonly stopping = new AbortController();
    private shutdownResult?: Promise<number>;

    constructor(
        private readonly config: Config,
        private readonly log: Logger,
    ) {
        this.pool = createPool(config.database, log);
        this.server = createServer(createHandler({ pool: this.pool, log, state: this.state, readinessTimeoutMs: 2_000 }));
        // The platform sets it above the ALB's idle timeout, so the load balancer, not the service, closes idle
        // connections; a request's headers may take as long as an idle connection waits (Node docs, server.headersTimeout).
        this.server.keepAliveTimeout = config.keepAliveTimeoutMs;
        this.server.headersTimeout = config.keepAliveTimeoutMs + 1_000;
    }

    /** The port the server listens on (useful when the config asks for port 0). */
    get port(): number {
        return (this.server.address() as AddressInfo).port;
    }

    async start(): Promise<void> {
        await new Promise<void>((resolve, reject) => {
            this.server.once("error", reject);
            this.server.listen(this.config.port, () => resolve());
        });
        this.log.info("listening", { port: this.port });
        for (let attempt = 1; !this.stopping.signal.aborted; attempt++) {
            try {
                await migrate(this.pool, this.log);
                this.state.started = true;
                this.log.info("started");
                return;
            } catch (error) {
                // A database that cannot prove who it is will not start proving it on a retry.
                const refused = unverified(error);
                if (refused) {
                    throw refused;
                }
                const retryInMs = Math.min(500 * 2 ** (attempt - 1), 10_000);
                this.log.warn("database not ready for migrations; retrying", { attempt, retryInMs, ...errorFields(error) });
                await wait(retryInMs, this.stopping.signal);
            }
        }
    }

    /**
     * Readiness fails at once; after `shutdownDelayMs` the listener closes, requests in flight
     * finish, the pool closes. Resolves to the exit code: 0 for a clean drain, 1 when the drain
     * outlived `shutdownTimeoutMs` and open connections were cut.
     */
    shutdown(signal: string): Promise<number> {
        this.shutdownResult ??= this.drain(signal);
        return this.shutdownResult;
    }

    private async drain(signal: string): Promise<number> {
        this.state.draining = true;
        this.stopping.abort();
        this.log.info("draining", { signal, delayMs: this.config.shutdownDelayMs });
        let timedOut = false;
        const deadline = setTimeout(() => {
            timedOut = true;
            this.log.error("drain timed out; closing open connections", { timeoutMs: this.config.shutdownTimeoutMs });
            this.server.closeAllConnections();
        }, this.config.shutdownTimeoutMs);
        await wait(this.config.shutdownDelayMs);
        await new Promise<void>((resolve) => {
            this.server.close(() => resolve());
            this.server.closeIdleConnections();
        });
        clearTimeout(deadline);
        await this.pool.end();
        this.log.info("stopped", { clean: !timedOut });
        return timedOut ? 1 : 0;
    }
}
