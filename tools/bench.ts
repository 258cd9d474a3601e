import { spawnSync } from "child_process";
import * as path from "path";
import { readProject, readStackConfig } from "./engine/stackFiles";

// Measures the offline render of the production stack with 1, 10 and 50 services: wall time,
// peak memory and the marginal time per added service. Figures only; targets are printed beside
// them, never asserted. Each render runs in a fresh process so peak memory is its own.

const projectDir = path.resolve(__dirname, "..");
const stack = "production";
const counts = [1, 10, 50];
const runs = 3;

interface Sample {
    renderMs: number;
    processMs: number;
    peakMb: number;
    resources: number;
}

/** The production stack's services, the first one cloned `count` times under new names. */
function servicesOf(count: number): unknown[] {
    const config = readStackConfig(projectDir, readProject(projectDir), stack);
    const services = (config.values["platform:services"] ?? []) as Record<string, unknown>[];
    if (services.length === 0) {
        throw new Error(`Pulumi.${stack}.yaml declares no service to clone (platform:services)`);
    }
    return Array.from({ length: count }, (_, i) => ({ ...services[0], name: i === 0 ? services[0].name : `${String(services[0].name)}-${i}` }));
}

function measure(count: number): Sample {
    const started = performance.now();
    const child = spawnSync(
        process.execPath,
        ["-r", "ts-node/register/transpile-only", path.join(__dirname, "benchRender.ts"), stack, JSON.stringify(servicesOf(count))],
        { cwd: projectDir, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
    );
    if (child.status !== 0) {
        throw new Error(`render with ${count} services failed:\n${child.stderr}`);
    }
    const result = JSON.parse(child.stdout.trim().split("\n").at(-1) as string) as Omit<Sample, "processMs">;
    return { ...result, processMs: performance.now() - started };
}

function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
}

function main(): void {
    console.log(`Offline render of the ${stack} stack, median of ${runs} runs, each in a fresh process\n`);
    console.log("services  resources  render (s)  process (s)  peak RSS (MB)");
    const results = new Map<number, Sample>();
    for (const count of counts) {
        const samples = Array.from({ length: runs }, () => measure(count));
        const sample: Sample = {
            renderMs: median(samples.map((s) => s.renderMs)),
            processMs: median(samples.map((s) => s.processMs)),
            peakMb: Math.max(...samples.map((s) => s.peakMb)),
            resources: samples[0].resources,
        };
        results.set(count, sample);
        console.log(
            `${String(count).padStart(8)}  ${String(sample.resources).padStart(9)}  ${(sample.renderMs / 1000).toFixed(2).padStart(10)}  ` +
                `${(sample.processMs / 1000).toFixed(2).padStart(11)}  ${sample.peakMb.toFixed(0).padStart(13)}`,
        );
    }
    const first = results.get(counts[0]) as Sample;
    const last = results.get(counts.at(-1) as number) as Sample;
    const marginal = (last.renderMs - first.renderMs) / ((counts.at(-1) as number) - counts[0]);
    console.log(`\nmarginal render time per added service: ${marginal.toFixed(1)} ms`);
    console.log("targets: 50 services render in under 5 s and 500 MB peak; under 30 ms per added service");
}

main();
