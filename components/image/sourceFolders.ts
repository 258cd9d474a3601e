import * as fs from "fs";
import * as path from "path";
import type { ServiceSettings } from "../../config/sections/services";

/** The config problems of services whose `source` is not a folder with a Dockerfile. */
export function sourceProblems(services: readonly ServiceSettings[], projectDir: string): string[] {
    return services.flatMap((service, i) => {
        if (service.source === undefined) {
            return [];
        }
        const dockerfile = path.join(projectDir, service.source, "Dockerfile");
        return fs.existsSync(dockerfile) ? [] : [`services[${i}].source: "${service.source}" has no Dockerfile (looked for ${path.relative(projectDir, dockerfile)})`];
    });
}
