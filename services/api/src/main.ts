import { readFileSync } from "fs";
import { ConfigError, parseConfig } from "./config";
import { UnverifiedDatabase } from "./database";
import { createLogger, errorFields } from "./log";
import { Service } from "./service";

const write = (line: string) => process.stdout.write(line);

function configOrExit() {
    try {
        return parseConfig(process.env, (path) => readFileSync(path, "utf8"));
    } catch (error) {
        if (error instanceof ConfigError) {
            createLogger(write, "error").error(error.message, { problems: error.problems });
            process.exit(1);
        }
        throw error;
    }
}

const config = configOrExit();
const log = createLogger(write, config.logLevel);
const service = new Service(config, log);

for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
        void service.shutdown(signal).then((code) => process.exit(code));
    });
}

service.start().catch((error) => {
    if (error instanceof UnverifiedDatabase) {
        log.error("refusing to start: the database's TLS certificate cannot be verified against the CA bundle", {
            host: config.database.host,
            ...errorFields(error.cause),
        });
    } else {
        log.error("failed to start", errorFields(error));
    }
    process.exit(1);
});
