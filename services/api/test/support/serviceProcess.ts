import { type ChildProcess, spawn } from "child_process";
import * as path from "path";
import { eventually } from "./poll";

export const serviceDir = path.resolve(__dirname, "..", "..");

export type LogLine = Record<string, any> & { level: string; msg: string };

/** The service's source (or another entry point of its image) run as its own process, as the container runs it: node with the environment only. */
export class ServiceProcess {
    readonly logs: LogLine[] = [];
    /** Output that is not a JSON log line: must stay empty. */
    readonly strayOutput: string[] = [];
    readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
    private readonly child: ChildProcess;

    constructor(env: Record<string, string>, entryPoint = "main.ts") {
        const transpiler = require.resolve("ts-node/register/transpile-only");
        this.child = spawn(process.execPath, ["--require", transpiler, path.join(serviceDir, "src", entryPoint)], {
            cwd: serviceDir,
            env: { PATH: process.env.PATH ?? "", ...env },
            stdio: ["ignore", "pipe", "pipe"],
        });
        this.exited = new Promise((resolve) => this.child.once("exit", (code, signal) => resolve({ code, signal })));
        let pending = "";
        this.child.stdout?.on("data", (chunk: Buffer) => {
            pending += chunk.toString("utf8");
            const lines = pending.split("\n");
            pending = lines.pop() ?? "";
            for (const line of lines.filter((l) => l.trim() !== "")) {
                try {
                    this.logs.push(JSON.parse(line) as LogLine);
                } catch {
                    this.strayOutput.push(line);
                }
            }
        });
        this.child.stderr?.on("data", (chunk: Buffer) => this.strayOutput.push(chunk.toString("utf8")));
    }

    /** The port from the service's "listening" log line. */
    async port(): Promise<number> {
        const line = await this.waitForLog("the listening line", (l) => l.msg === "listening");
        return line.port as number;
    }

    async waitForLog(what: string, match: (line: LogLine) => boolean, timeoutMs = 15_000): Promise<LogLine> {
        return eventually(what, () => this.logs.find(match), { timeoutMs });
    }

    signal(signal: NodeJS.Signals): void {
        this.child.kill(signal);
    }

    /** Ends the process if a test left it running. */
    async stop(): Promise<void> {
        if (this.child.exitCode === null && this.child.signalCode === null) {
            this.child.kill("SIGKILL");
            await this.exited;
        }
    }
}
