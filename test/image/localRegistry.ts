import { type ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as path from "path";
import { eventually } from "../../services/api/test/support/poll";

/** Distribution's registry server (Debian's docker-registry) on the loopback port given, storing in `dir`. */
export class LocalRegistry {
    private constructor(
        readonly address: string,
        private readonly child: ChildProcess,
        private readonly exited: Promise<void>,
    ) {}

    static async start(dir: string, port: number): Promise<LocalRegistry> {
        const address = `127.0.0.1:${port}`;
        const config = path.join(dir, "registry.yml");
        fs.mkdirSync(path.join(dir, "data"), { recursive: true });
        fs.writeFileSync(
            config,
            ["version: 0.1", "log:", "  level: warn", "storage:", "  filesystem:", `    rootdirectory: ${path.join(dir, "data")}`, "http:", `  addr: ${address}`, ""].join("\n"),
        );
        const log = fs.openSync(path.join(dir, "registry.log"), "a");
        const child = spawn("docker-registry", ["serve", config], { stdio: ["ignore", log, log] });
        const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
        const registry = new LocalRegistry(address, child, exited);
        await eventually("the registry to answer /v2/", () => registry.answers(), { timeoutMs: 30_000 });
        return registry;
    }

    private answers(): Promise<true | undefined> {
        return new Promise((resolve) => {
            http.get(`http://${this.address}/v2/`, (res) => {
                res.resume();
                resolve(res.statusCode === 200 ? true : undefined);
            }).on("error", () => resolve(undefined));
        });
    }

    async stop(): Promise<void> {
        if (this.child.exitCode === null && this.child.signalCode === null) {
            this.child.kill("SIGTERM");
            await this.exited;
        }
    }
}
