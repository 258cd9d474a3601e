import * as path from "path";
import { parseArgs } from "util";
import { RenderError, renderStack } from "./engine/render";
import { blocking, checkRender, formatOutcomes, stackProfile } from "./policyCheck";

// Runs the policy pack's rules over a stack's offline render: what `pulumi preview --policy-pack`
// reports, without credentials or the Pulumi CLI. Exits 1 on a mandatory violation.
const projectDir = path.resolve(__dirname, "..");

async function main(): Promise<void> {
    const { values } = parseArgs({ options: { stack: { type: "string", default: "dev" } } });
    const stack = values.stack;
    const profile = stackProfile(projectDir, stack);
    const outcomes = checkRender(await renderStack({ projectDir, stack }), profile);
    console.log(formatOutcomes(outcomes, stack, profile));
    process.exitCode = blocking(outcomes).length > 0 ? 1 : 0;
}

main().catch((error: unknown) => {
    console.error(error instanceof RenderError || error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
});
