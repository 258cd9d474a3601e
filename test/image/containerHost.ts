import * as fs from "fs";
import * as path from "path";
import { mustRun, runCommand } from "./commands";

/** The soft and hard limit of a resource for this process, from /proc/self/limits. */
export function processLimit(name: "Max open files" | "Max processes"): { soft: string; hard: string } {
    const line = fs
        .readFileSync("/proc/self/limits", "utf8")
        .split("\n")
        .find((l) => l.startsWith(name));
    const [soft, hard] = (line ?? "").slice(name.length).trim().split(/\s+/);
    if (!soft || !hard) {
        throw new Error(`cannot read "${name}" from /proc/self/limits`);
    }
    return { soft, hard };
}

const cap = (limit: string, max: number) => (limit === "unlimited" ? max : Math.min(Number(limit), max));

/**
 * podman, buildah and skopeo with every bit of state (images, containers, run files, temporary
 * layers) inside one folder, runc as the runtime, and ulimits the machine can grant: podman's
 * defaults ask for more than runc may set here and the container fails to start.
 */
export class ContainerHost {
    readonly env: NodeJS.ProcessEnv;

    private constructor(readonly dir: string) {
        const tmp = path.join(dir, "tmp");
        this.env = {
            ...process.env,
            TMPDIR: tmp,
            CONTAINERS_CONF: path.join(dir, "containers.conf"),
            CONTAINERS_STORAGE_CONF: path.join(dir, "storage.conf"),
            CONTAINERS_REGISTRIES_CONF: path.join(dir, "registries.conf"),
        };
    }

    /** Writes the configuration under `dir`; `insecureRegistry` is the local registry's host:port. */
    static create(dir: string, insecureRegistry: string): ContainerHost {
        for (const sub of ["storage", "run", "tmp"]) {
            fs.mkdirSync(path.join(dir, sub), { recursive: true });
        }
        const files = processLimit("Max open files");
        const processes = processLimit("Max processes");
        const nproc = Math.min(cap(processes.soft, 4096), cap(processes.hard, 4096));
        fs.writeFileSync(
            path.join(dir, "containers.conf"),
            [
                "[containers]",
                `default_ulimits = ["nofile=${files.soft}:${files.hard}", "nproc=${nproc}:${nproc}"]`,
                "[engine]",
                'runtime = "runc"',
                'cgroup_manager = "cgroupfs"',
                'events_logger = "file"',
                `events_logfile_path = "${path.join(dir, "events.log")}"`,
                `tmp_dir = "${path.join(dir, "run", "libpod")}"`,
                `image_copy_tmp_dir = "${path.join(dir, "tmp")}"`,
                "",
            ].join("\n"),
        );
        fs.writeFileSync(
            path.join(dir, "storage.conf"),
            ["[storage]", 'driver = "overlay"', `graphroot = "${path.join(dir, "storage")}"`, `runroot = "${path.join(dir, "run")}"`, ""].join("\n"),
        );
        fs.writeFileSync(
            path.join(dir, "registries.conf"),
            ["unqualified-search-registries = []", "[[registry]]", `location = "${insecureRegistry}"`, "insecure = true", ""].join("\n"),
        );
        return new ContainerHost(dir);
    }

    podman(args: string[]): Promise<string> {
        return mustRun("podman", args, { env: this.env });
    }

    tryPodman(args: string[]) {
        return runCommand("podman", args, { env: this.env });
    }

    /** Removes every container and image of this host and unmounts its storage. */
    async reset(): Promise<void> {
        await this.tryPodman(["rm", "--all", "--force", "--time", "0"]);
        await this.tryPodman(["system", "reset", "--force"]);
    }
}
