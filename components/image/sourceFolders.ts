import * as fs from "fs";
import * as path from "path";
import type { ServiceSettings } from "../../config/sections/services";
import { contextEntries } from "./contentTag";
import { stagingFolder } from "./stagedContext";

/**
 * Why a service's `source` cannot be built the same way from every checkout, one line each: no
 * Dockerfile; a folder holding the build stages themselves, whose every copy would be a new tag
 * (and a new stage, and a new push) at each `up`; a symlink, which the docker provider hashes by the
 * path it resolves to on this machine (pulumi/pulumi-docker provider/provider.go, hashPath:
 * filepath.EvalSymlinks) and whose own mode follows the umask on macOS, so its digest differs
 * between checkouts and an `up` elsewhere would push again to an immutable tag.
 */
export function sourceProblems(services: readonly ServiceSettings[], projectDir: string): string[] {
    return services.flatMap((service, i) => {
        if (service.source === undefined) {
            return [];
        }
        const key = `services[${i}].source: "${service.source}"`;
        const dir = path.join(projectDir, service.source);
        const dockerfile = path.join(dir, "Dockerfile");
        if (!fs.existsSync(dockerfile)) {
            return [`${key} has no Dockerfile (looked for ${path.relative(projectDir, dockerfile)})`];
        }
        const staging = path.relative(dir, path.join(projectDir, ...stagingFolder.split("/")));
        if (!staging.startsWith("..") && !path.isAbsolute(staging)) {
            return [`${key} holds ${stagingFolder}, where builds are staged; every up would build and push a new tag. Use a folder of the service's own files`];
        }
        const links = contextEntries(dir).filter((entry) => entry.kind === "symlink").map((entry) => entry.path);
        return links.length === 0 ? [] : [`${key} has symlinks (${links.join(", ")}), whose build digest differs between checkouts; replace each with the file it points to`];
    });
}
