import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
/** The project this tool belongs to. */
const projectDir = path.resolve(__dirname, "..");

/** Folders whose node_modules a copy links to instead of copying: the program, the policy pack, the example service. */
const packages = [".", "policy", "services/api"];

/**
 * This checkout's files (tracked and new, nothing ignored) copied into a fresh folder outside
 * it, committed there on a `main` branch, with the installed packages linked in: the project as
 * another machine or CI would hold it at another path.
 */
export function copyProject(): { dir: string; git: (...args: string[]) => string; cleanup: () => void } {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "platform-copy-"));
    const dir = path.join(root, "platform");
    const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard", "-z"], { cwd: projectDir, encoding: "utf8" }).split("\0").filter(Boolean);
    for (const file of files.filter((f) => fs.existsSync(path.join(projectDir, f)))) {
        fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        fs.copyFileSync(path.join(projectDir, file), path.join(dir, file));
    }
    const git = (...args: string[]) =>
        execFileSync("git", ["-c", "user.name=render", "-c", "user.email=render@example.com", ...args], { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    git("init", "-q", "-b", "main");
    git("add", "-A");
    git("commit", "-qm", "the project as copied");
    // Linked after the commit: `node_modules/` in .gitignore matches folders, not links.
    for (const pkg of packages.filter((p) => fs.existsSync(path.join(projectDir, p, "node_modules")))) {
        fs.symlinkSync(path.join(projectDir, pkg, "node_modules"), path.join(dir, pkg, "node_modules"), "dir");
    }
    return { dir, git, cleanup: () => fs.rmSync(root, { recursive: true, force: true }) };
}
