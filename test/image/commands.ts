import { spawn } from "child_process";

export interface CommandResult {
    code: number | null;
    stdout: string;
    stderr: string;
}

/** Runs a command to its end; resolves with its output whatever the exit code. */
export function runCommand(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<CommandResult> {
    return new Promise((resolve, reject) => {
        const child = spawn(command, args, { env: options.env ?? process.env, cwd: options.cwd, stdio: ["ignore", "pipe", "pipe"] });
        const stdout: Buffer[] = [];
        const stderr: Buffer[] = [];
        child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
        child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
        child.once("error", reject);
        child.once("close", (code) => resolve({ code, stdout: Buffer.concat(stdout).toString("utf8"), stderr: Buffer.concat(stderr).toString("utf8") }));
    });
}

const tail = (text: string) => text.trim().split("\n").slice(-25).join("\n");

/** Runs a command that must succeed; fails with the end of its output otherwise. Returns stdout, trimmed. */
export async function mustRun(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<string> {
    const result = await runCommand(command, args, options);
    if (result.code !== 0) {
        throw new Error(`${command} ${args.join(" ")} exited ${result.code}:\n${tail(`${result.stdout}\n${result.stderr}`)}`);
    }
    return result.stdout.trim();
}

/** Whether an executable is on PATH. */
export async function onPath(command: string): Promise<boolean> {
    return (await runCommand("sh", ["-c", `command -v ${command}`])).code === 0;
}

/** Seconds since `start`, for the timing report. */
export const secondsSince = (start: number) => Math.round((Date.now() - start) / 100) / 10;
