import * as fs from "fs";
import * as path from "path";
import { isGitRef, projectAtRef } from "./gitTree";
import type { Rendered } from "./model";
import { renderStack } from "./render";

/**
 * What `--diff <against>` compares a stack with: another stack of the project when
 * `Pulumi.<against>.yaml` exists, else the same stack as it was at the git ref `against`
 * (empty when the stack did not exist there).
 */
export async function baseRender(projectDir: string, against: string, stack: string): Promise<{ rendered: Rendered; label: string }> {
    if (fs.existsSync(path.join(projectDir, `Pulumi.${against}.yaml`))) {
        return { rendered: await renderStack({ projectDir, stack: against }), label: `stack ${against}` };
    }
    if (!isGitRef(projectDir, against)) {
        throw new Error(`--diff ${against}: neither a stack (no Pulumi.${against}.yaml) nor a git ref`);
    }
    const tree = projectAtRef(projectDir, against);
    try {
        if (!fs.existsSync(path.join(tree.dir, `Pulumi.${stack}.yaml`))) {
            return { rendered: { project: "", stack, resources: [], outputs: {} }, label: `${against} (no stack ${stack} there)` };
        }
        return { rendered: await renderStack({ projectDir: tree.dir, stack }), label: `${stack} at ${against}` };
    } finally {
        tree.cleanup();
    }
}
