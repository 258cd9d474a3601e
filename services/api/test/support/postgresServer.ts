import { execFile } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { Client } from "pg";
import { promisify } from "util";

const run = promisify(execFile);

/** The newest PostgreSQL server installed from Debian's packages (`PG_BIN` overrides). */
export function postgresBinDir(): string {
    if (process.env.PG_BIN) {
        return process.env.PG_BIN;
    }
    const root = "/usr/lib/postgresql";
    const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, "bin", "initdb"))) : [];
    const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
    if (!newest) {
        throw new Error("no PostgreSQL server under /usr/lib/postgresql/<version>/bin: install Debian's postgresql package (.ci/run does)");
    }
    return path.join(root, newest, "bin");
}

/** A free TCP port on the loopback interface. */
export async function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const { port } = server.address() as net.AddressInfo;
            server.close(() => resolve(port));
        });
    });
}

/** PostgreSQL refuses to run as root: as root, the server runs as the `postgres` account. */
function serverAccount(): { uid: number; gid: number } | undefined {
    if (process.getuid?.() !== 0) {
        return undefined;
    }
    const line = fs
        .readFileSync("/etc/passwd", "utf8")
        .split("\n")
        .find((entry) => entry.startsWith("postgres:"));
    if (!line) {
        throw new Error("running as root needs the postgres account that Debian's postgresql package creates");
    }
    const [, , uid, gid] = line.split(":");
    return { uid: Number(uid), gid: Number(gid) };
}

/**
 * A throwaway PostgreSQL cluster in a temporary folder, listening on a free loopback port, with
 * password authentication and one application role and database. Never the machine's own cluster.
 */
export class PostgresServer {
    readonly host = "127.0.0.1";
    readonly user = "api";
    readonly password = "api-test-password";
    readonly database = "api";
    private readonly account = serverAccount();

    private constructor(
        readonly dir: string,
        readonly port: number,
        private readonly bin: string,
    ) {}

    static async create(): Promise<PostgresServer> {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "api-postgres-"));
        const server = new PostgresServer(dir, await freePort(), postgresBinDir());
        await server.init();
        await server.start();
        await server.createApplicationRole();
        return server;
    }

    private get dataDir(): string {
        return path.join(this.dir, "data");
    }

    private async exec(tool: string, args: string[]): Promise<void> {
        await run(path.join(this.bin, tool), args, { ...this.account, cwd: this.dir, env: { ...process.env, LC_ALL: "C" } });
    }

    private async init(): Promise<void> {
        const superuserPassword = path.join(this.dir, "superuser-password");
        fs.writeFileSync(superuserPassword, `${this.password}\n`);
        if (this.account) {
            fs.chownSync(this.dir, this.account.uid, this.account.gid);
            fs.chownSync(superuserPassword, this.account.uid, this.account.gid);
        }
        await this.exec("initdb", ["-D", this.dataDir, "-U", "postgres", `--pwfile=${superuserPassword}`, "--auth=scram-sha-256", "-E", "UTF8", "--locale=C"]);
    }

    /** Starts the server and returns once it accepts connections (pg_ctl -w). */
    async start(): Promise<void> {
        const options = `-p ${this.port} -c listen_addresses=${this.host} -k ${this.dir}`;
        await this.exec("pg_ctl", ["-D", this.dataDir, "-o", options, "-l", path.join(this.dir, "server.log"), "-w", "start"]);
    }

    /** Stops the server, disconnecting every client, and returns once it is down. */
    async stop(): Promise<void> {
        await this.exec("pg_ctl", ["-D", this.dataDir, "-m", "fast", "-w", "stop"]);
    }

    /** A client as the superuser, for tests that look at the server's side. */
    async superuser(): Promise<Client> {
        const client = new Client({ host: this.host, port: this.port, user: "postgres", password: this.password, database: "postgres" });
        await client.connect();
        return client;
    }

    private async createApplicationRole(): Promise<void> {
        const client = await this.superuser();
        try {
            await client.query(`CREATE ROLE ${this.user} LOGIN PASSWORD '${this.password}'`);
            await client.query(`CREATE DATABASE ${this.database} OWNER ${this.user}`);
        } finally {
            await client.end();
        }
    }

    /** The service's environment for this server. */
    serviceEnv(): Record<string, string> {
        return {
            DATABASE_HOST: this.host,
            DATABASE_PORT: String(this.port),
            DATABASE_NAME: this.database,
            DATABASE_USER: this.user,
            DATABASE_PASSWORD: this.password,
            DATABASE_SSL: "disable",
        };
    }

    /** Stops the server if it runs and deletes its folder. */
    async destroy(): Promise<void> {
        await this.stop().catch(() => undefined);
        fs.rmSync(this.dir, { recursive: true, force: true });
    }
}
