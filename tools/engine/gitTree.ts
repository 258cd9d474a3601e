import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

function git(cwd: string, args: string[]): string {
    return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

/** True when `ref` names a commit of the repository holding `projectDir`. */
export function isGitRef(projectDir: string, ref: string): boolean {
    try {
        git(projectDir, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
        return true;
    } catch {
        return false;
    }
}

/**
 * The project as it was at `ref`, unpacked into a temporary folder that shares this checkout's
 * node_modules, so the render of both sides uses the same SDKs. Returns the project folder in it.
 */
export function projectAtRef(projectDir: string, ref: string): { dir: string; cleanup: () => void } {
    const top = git(projectDir, ["rev-parse", "--show-toplevel"]);
    const prefix = git(projectDir, ["rev-parse", "--show-prefix"]);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "platform-render-"));
    const archive = path.join(tmp, "tree.tar");
    execFileSync("git", ["archive", "--format=tar", "-o", archive, ref], { cwd: top });
    const root = path.join(tmp, "tree");
    fs.mkdirSync(root);
    execFileSync("tar", ["-xf", archive, "-C", root]);
    const dir = path.join(root, prefix);
    fs.symlinkSync(path.resolve(projectDir, "node_modules"), path.join(dir, "node_modules"), "dir");
    return { dir, cleanup: () => fs.rmSync(tmp, { recursive: true, force: true }) };
}
