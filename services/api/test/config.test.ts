import { strict as assert } from "assert";
import { ConfigError, parseConfig } from "../src/config";

const complete = {
    DATABASE_HOST: "db.internal",
    DATABASE_NAME: "api",
    DATABASE_USER: "api",
    DATABASE_PASSWORD: "s3cret",
    DATABASE_SSL_CA: "-----BEGIN CERTIFICATE-----",
};

const noFiles = (file: string): string => {
    throw Object.assign(new Error(`no ${file}`), { code: "ENOENT" });
};

function problemsOf(env: Record<string, string>, files: Record<string, string> = {}): string[] {
    try {
        parseConfig(env, (file) => files[file] ?? noFiles(file));
    } catch (error) {
        assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
        return [...error.problems];
    }
    assert.fail("the configuration was accepted");
}

describe("api service: configuration from the environment", () => {
    it("starts from the database variables and the CA bundle alone, on port 8080, verifying the database's certificate", () => {
        const config = parseConfig(complete, noFiles);
        assert.equal(config.port, 8080);
        assert.equal(config.database.port, 5432);
        assert.deepEqual(config.database.ssl, { rejectUnauthorized: true, ca: complete.DATABASE_SSL_CA });
        assert.equal(config.shutdownDelayMs, 0);
    });

    it("refuses verify-full without a CA bundle, and TLS that would not verify", () => {
        const { DATABASE_SSL_CA: _, ...withoutCa } = complete;
        assert.deepEqual(problemsOf(withoutCa), [
            "DATABASE_SSL_CA: is missing; verify-full needs the CA bundle that signs the database's certificate: set DATABASE_SSL_CA or DATABASE_SSL_CA_FILE",
        ]);
        assert.deepEqual(problemsOf({ ...complete, DATABASE_SSL: "require" }), ['DATABASE_SSL: "require" is not one of disable, verify-full']);
    });

    it("reads each database setting from the file its _FILE variable names (a mounted Kubernetes Secret)", () => {
        const dir = "/var/run/secrets/platform/database";
        const files: Record<string, string> = { [`${dir}/host`]: "db.internal", [`${dir}/port`]: "6432", [`${dir}/name`]: "app", [`${dir}/username`]: "app", [`${dir}/password`]: "from-file\n" };
        const config = parseConfig(
            {
                DATABASE_SSL: "disable",
                DATABASE_HOST_FILE: `${dir}/host`,
                DATABASE_PORT_FILE: `${dir}/port`,
                DATABASE_NAME_FILE: `${dir}/name`,
                DATABASE_USER_FILE: `${dir}/username`,
                DATABASE_PASSWORD_FILE: `${dir}/password`,
            },
            (file) => files[file] ?? noFiles(file),
        );
        assert.deepEqual(
            { host: config.database.host, port: config.database.port, name: config.database.name, user: config.database.user, password: config.database.password },
            { host: "db.internal", port: 6432, name: "app", user: "app", password: "from-file" },
        );
    });

    it("reports every problem at once, one line each naming the variable, the value and what is allowed", () => {
        const problems = problemsOf({ PORT: "80a", DATABASE_SSL: "yes", DATABASE_HOST: "db" });
        assert.deepEqual(problems.sort(), [
            'DATABASE_SSL: "yes" is not one of disable, verify-full',
            "DATABASE_NAME: is missing; set DATABASE_NAME or DATABASE_NAME_FILE",
            "DATABASE_PASSWORD: is missing; set DATABASE_PASSWORD or DATABASE_PASSWORD_FILE",
            "DATABASE_USER: is missing; set DATABASE_USER or DATABASE_USER_FILE",
            'PORT: "80a" is not a port number (1-65535)',
        ].sort());
    });

    it("refuses a setting given both as a value and as a file, and a file it cannot read", () => {
        assert.deepEqual(problemsOf({ ...complete, DATABASE_PASSWORD_FILE: "/secret" }, { "/secret": "x" }), [
            'DATABASE_PASSWORD_FILE: "/secret" is set together with DATABASE_PASSWORD; set only one',
        ]);
        const { DATABASE_PASSWORD: _, ...withoutPassword } = complete;
        assert.deepEqual(problemsOf({ ...withoutPassword, DATABASE_PASSWORD_FILE: "/missing" }), ['DATABASE_PASSWORD_FILE: "/missing" cannot be read (ENOENT)']);
    });

    it("never echoes a secret value in an error line", () => {
        const problems = problemsOf({ ...complete, DATABASE_PASSWORD: "   " });
        assert.deepEqual(problems, ["DATABASE_PASSWORD: (secret value) is empty"]);
    });

    it("turns TLS off only when asked to, and reads the CA bundle from its file", () => {
        assert.equal(parseConfig({ ...complete, DATABASE_SSL: "disable" }, noFiles).database.ssl, false);
        const { DATABASE_SSL_CA: _, ...withoutCa } = complete;
        assert.deepEqual(parseConfig({ ...withoutCa, DATABASE_SSL: "verify-full", DATABASE_SSL_CA_FILE: "/ca.pem" }, () => "PEM").database.ssl, {
            rejectUnauthorized: true,
            ca: "PEM",
        });
    });

    it("bounds the pool size and the drain timings", () => {
        assert.deepEqual(problemsOf({ ...complete, DATABASE_POOL_MAX: "0", SHUTDOWN_TIMEOUT_MS: "10" }).sort(), [
            'DATABASE_POOL_MAX: "0" is not a whole number from 1 to 100',
            'SHUTDOWN_TIMEOUT_MS: "10" is not a whole number from 1000 to 600000',
        ]);
    });
});
