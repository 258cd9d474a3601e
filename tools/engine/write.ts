import * as fs from "fs";
import * as path from "path";
import { stringify } from "yaml";
import { kubernetesManifests } from "./manifests";
import type { Rendered } from "./model";

/** What a render wrote, for the summary line. */
export interface Written {
    dir: string;
    resources: number;
    manifests: number;
}

/**
 * Writes `<outDir>/<stack>/resources.json` and one YAML file per Kubernetes object under
 * `manifests/`. The folder is emptied first, so a removed object leaves no stale file behind.
 */
export function writeRender(rendered: Rendered, outDir: string): Written {
    const dir = path.join(outDir, rendered.stack);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "resources.json"), `${JSON.stringify(rendered, null, 2)}\n`);
    const manifests = kubernetesManifests(rendered);
    for (const manifest of manifests) {
        const file = path.join(dir, "manifests", manifest.file);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, stringify(manifest.object, { sortMapEntries: false, lineWidth: 0 }));
    }
    return { dir, resources: rendered.resources.length, manifests: manifests.length };
}

/** Reads a render written by {@link writeRender}. */
export function readRender(file: string): Rendered {
    return JSON.parse(fs.readFileSync(file, "utf8")) as Rendered;
}
