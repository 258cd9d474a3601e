import { cleanEnv, EnvMissingError, makeValidator } from "envalid";
import type { Level } from "./log";

/** How the service reaches PostgreSQL. */
export interface DatabaseConfig {
    readonly host: string;
    readonly port: number;
    readonly name: string;
    readonly user: string;
    readonly password: string;
    /** `false` for plain TCP (local development only); otherwise TLS verifying the server's certificate chain and name against `ca`. */
    readonly ssl: false | { readonly rejectUnauthorized: true; readonly ca: string };
    readonly poolMax: number;
}

/** Everything the service reads from its environment, validated. */
export interface Config {
    readonly port: number;
    readonly logLevel: Level;
    readonly database: DatabaseConfig;
    /** How long readiness reports draining before the listener closes (for load balancers to notice). */
    readonly shutdownDelayMs: number;
    /** The longest a drain may take before open connections are cut and the process exits 1. */
    readonly shutdownTimeoutMs: number;
    /**
     * How long an idle connection stays open; the platform sets it above its load balancer's idle
     * timeout, so the load balancer, never the service, closes idle connections. Default 65 s (an ALB's default 60 s, plus 5).
     */
    readonly keepAliveTimeoutMs: number;
}

/** The configuration was rejected; each problem names the variable, the value and what is allowed. */
export class ConfigError extends Error {
    constructor(readonly problems: readonly string[]) {
        super(`invalid configuration: ${problems.join("; ")}`);
        this.name = "ConfigError";
    }
}

/** Variables that may instead be read from the file `<NAME>_FILE` names (Kubernetes Secret volumes). */
export const fileBackedVariables = [
    "DATABASE_HOST",
    "DATABASE_PORT",
    "DATABASE_NAME",
    "DATABASE_USER",
    "DATABASE_PASSWORD",
    "DATABASE_SSL_CA",
] as const;

/** Values never echoed in an error line (the CA bundle is public, but long). */
const secretVariables: ReadonlySet<string> = new Set(["DATABASE_PASSWORD", "DATABASE_SSL_CA"]);

export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * The environment with every `<NAME>_FILE` replaced by the content of the file it names, minus
 * trailing line breaks. Naming a variable both ways, or an unreadable file, is a problem.
 */
export function resolveFileVariables(env: Environment, readFile: (path: string) => string): { env: Environment; problems: string[] } {
    const resolved: Record<string, string | undefined> = { ...env };
    const problems: string[] = [];
    for (const name of fileBackedVariables) {
        const file = env[`${name}_FILE`];
        if (file === undefined) {
            continue;
        }
        if (env[name] !== undefined) {
            problems.push(`${name}_FILE: ${JSON.stringify(file)} is set together with ${name}; set only one`);
            continue;
        }
        try {
            resolved[name] = readFile(file).replace(/[\r\n]+$/, "");
        } catch (error) {
            const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
            problems.push(`${name}_FILE: ${JSON.stringify(file)} cannot be read (${code})`);
        }
    }
    return { env: resolved, problems };
}

const text = makeValidator<string>((input) => {
    if (input.trim() === "") {
        throw new Error("is empty");
    }
    return input;
});

const portNumber = makeValidator<number>((input) => {
    if (!/^\d+$/.test(input) || Number(input) < 1 || Number(input) > 65535) {
        throw new Error("is not a port number (1-65535)");
    }
    return Number(input);
});

function wholeNumber(min: number, max: number) {
    return makeValidator<number>((input) => {
        if (!/^\d+$/.test(input) || Number(input) < min || Number(input) > max) {
            throw new Error(`is not a whole number from ${min} to ${max}`);
        }
        return Number(input);
    });
}

function oneOf<T extends string>(allowed: readonly T[]) {
    return makeValidator<T>((input) => {
        if (!(allowed as readonly string[]).includes(input)) {
            throw new Error(`is not one of ${allowed.join(", ")}`);
        }
        return input as T;
    });
}

/** `verify-full` checks the server's certificate chain against the CA bundle and its name against the host; `disable` is for a local database only. */
export const sslModes = ["disable", "verify-full"] as const;
export const logLevels = ["debug", "info", "warn", "error"] as const;

const specs = {
    PORT: portNumber({ default: 8080 }),
    LOG_LEVEL: oneOf(logLevels)({ default: "info" }),
    DATABASE_HOST: text(),
    DATABASE_PORT: portNumber({ default: 5432 }),
    DATABASE_NAME: text(),
    DATABASE_USER: text(),
    DATABASE_PASSWORD: text(),
    // Encryption without verification lets anyone in the path pose as the database: verify by default.
    DATABASE_SSL: oneOf(sslModes)({ default: "verify-full" }),
    DATABASE_SSL_CA: text({ default: undefined }),
    DATABASE_POOL_MAX: wholeNumber(1, 100)({ default: 10 }),
    SHUTDOWN_DELAY_MS: wholeNumber(0, 120_000)({ default: 0 }),
    SHUTDOWN_TIMEOUT_MS: wholeNumber(1_000, 600_000)({ default: 20_000 }),
    // An ALB's idle timeout reaches 4000 s.
    HTTP_KEEP_ALIVE_TIMEOUT_MS: wholeNumber(1_000, 4_100_000)({ default: 65_000 }),
};

function problemLine(name: string, error: Error, env: Environment): string {
    if (error instanceof EnvMissingError) {
        const fileBacked = (fileBackedVariables as readonly string[]).includes(name);
        return `${name}: is missing; set ${name}${fileBacked ? ` or ${name}_FILE` : ""}`;
    }
    const shown = secretVariables.has(name) ? "(secret value)" : JSON.stringify(env[name]);
    return `${name}: ${shown} ${error.message}`;
}

/**
 * The service's configuration from its environment. Throws a {@link ConfigError} listing every
 * problem at once, one line each, so a bad deployment is fixed in one round.
 */
export function parseConfig(rawEnv: Environment, readFile: (path: string) => string): Config {
    const { env, problems } = resolveFileVariables(rawEnv, readFile);
    const clean = cleanEnv(env, specs, {
        reporter: ({ errors }) => {
            for (const [name, error] of Object.entries(errors)) {
                // A variable whose file could not be read is already reported under its _FILE name.
                if (!problems.some((line) => line.startsWith(`${name}_FILE:`))) {
                    problems.push(problemLine(name, error as Error, env));
                }
            }
        },
    });
    // The raw value: the cleaned one may not be read when it failed validation.
    const verifying = (env.DATABASE_SSL ?? "verify-full") === "verify-full";
    if (verifying && env.DATABASE_SSL_CA === undefined && !problems.some((line) => line.startsWith("DATABASE_SSL_CA_FILE:"))) {
        problems.push("DATABASE_SSL_CA: is missing; verify-full needs the CA bundle that signs the database's certificate: set DATABASE_SSL_CA or DATABASE_SSL_CA_FILE");
    }
    if (problems.length > 0) {
        throw new ConfigError(problems);
    }
    const ssl = clean.DATABASE_SSL === "disable" ? false : { rejectUnauthorized: true as const, ca: clean.DATABASE_SSL_CA as string };
    return {
        port: clean.PORT,
        logLevel: clean.LOG_LEVEL,
        database: {
            host: clean.DATABASE_HOST,
            port: clean.DATABASE_PORT,
            name: clean.DATABASE_NAME,
            user: clean.DATABASE_USER,
            password: clean.DATABASE_PASSWORD,
            ssl,
            poolMax: clean.DATABASE_POOL_MAX,
        },
        shutdownDelayMs: clean.SHUTDOWN_DELAY_MS,
        shutdownTimeoutMs: clean.SHUTDOWN_TIMEOUT_MS,
        keepAliveTimeoutMs: clean.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    };
}
