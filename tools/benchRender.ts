import * as path from "path";
import { renderStack } from "./engine/render";

// One measured render for tools/bench.ts: prints its render time, peak memory and size as JSON.
async function main(): Promise<void> {
    const [stack, services] = process.argv.slice(2);
    const started = performance.now();
    const rendered = await renderStack({
        projectDir: path.resolve(__dirname, ".."),
        stack,
        overrides: { "platform:services": JSON.parse(services) },
    });
    const renderMs = performance.now() - started;
    const peakMb = process.resourceUsage().maxRSS / 1024;
    console.log(JSON.stringify({ renderMs, peakMb, resources: rendered.resources.length }));
}

main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
});
