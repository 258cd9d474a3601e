import * as path from "path";
import { parseArgs } from "util";
import { diffRenders } from "./engine/diff";
import { formatDiff } from "./engine/diffText";
import { controllerTargetGroups } from "./engine/fakeController";
import { baseRender } from "./engine/baseRender";
import { RenderError, renderStack } from "./engine/render";
import { formatTree } from "./engine/tree";
import { writeRender } from "./engine/write";

const usage = `Renders a stack offline: every resource and Kubernetes object, no cloud, no Pulumi CLI.

  npm run render                                  the dev stack
  npm run render -- --stack production            another stack
  npm run render -- --stack production --diff dev     what production has that dev has not
  npm run render -- --stack production --diff main    what this checkout changes against a git ref
                                  (the change renders as an update of the base: the account holds
                                  the target groups the base's Ingresses made, so a refused switch shows)

Options:
  --config <key>=<value>   try a value without editing the stack file (repeatable; JSON or text),
                           e.g. --config platform:network.cidr=10.20.0.0/16
  --out <dir>              where to write (default out)
  --quiet                  no tree`;

const projectDir = path.resolve(__dirname, "..");

/** `--config platform:network.cidr=10.1.0.0/16` → an override; values are JSON when they parse as JSON. */
function parseOverrides(settings: string[]): Record<string, unknown> {
    const overrides: Record<string, unknown> = {};
    for (const setting of settings) {
        const eq = setting.indexOf("=");
        if (eq <= 0) {
            throw new Error(`--config ${setting}: expected <key>=<value>`);
        }
        const text = setting.slice(eq + 1);
        let value: unknown = text;
        try {
            value = JSON.parse(text);
        } catch {
            // plain text
        }
        overrides[setting.slice(0, eq)] = value;
    }
    return overrides;
}

async function main(): Promise<void> {
    const { values } = parseArgs({
        options: {
            stack: { type: "string", default: "dev" },
            diff: { type: "string" },
            out: { type: "string", default: "out" },
            quiet: { type: "boolean", default: false },
            config: { type: "string", multiple: true, default: [] },
            help: { type: "boolean", default: false },
        },
    });
    if (values.help) {
        console.log(usage);
        return;
    }
    const stack = values.stack;
    // The change is an update of what the base deployed: the account holds the base's ALB target groups.
    const base = values.diff ? await baseRender(projectDir, values.diff, stack) : undefined;
    const account = base ? { targetGroups: controllerTargetGroups(base.rendered) } : undefined;
    const rendered = await renderStack({ projectDir, stack, overrides: parseOverrides(values.config), account });
    const written = writeRender(rendered, path.resolve(projectDir, values.out));
    if (base) {
        console.log(formatDiff(diffRenders(base.rendered, rendered), `Offline render diff: ${base.label} → ${stack} (this checkout)`));
        return;
    }
    if (!values.quiet) {
        console.log(formatTree(rendered));
    }
    const where = path.relative(process.cwd(), written.dir) || ".";
    console.log(`\n${stack}: ${written.resources} resources, ${written.manifests} Kubernetes objects → ${where}/resources.json, ${where}/manifests/`);
}

main().catch((error: unknown) => {
    if (error instanceof RenderError) {
        console.error(error.message);
    } else {
        console.error(error instanceof Error ? (process.env.DEBUG ? error.stack : error.message) : String(error));
    }
    process.exitCode = 1;
});
