// The post-deploy load test, run by CI with k6 against every service of a stack.
// Thresholds come from the stack's `loadTest` config (exported as the `loadTest` stack output);
// a breached threshold makes `k6 run` exit non-zero, which fails the pipeline.
import http from "k6/http";
import { check } from "k6";

const targets = JSON.parse(__ENV.TARGETS); // { "<service>": "<base URL>" }
const settings = JSON.parse(__ENV.LOAD_TEST); // the loadTest stack output
// In production the test goes to the idle color through the preview header, before any promotion.
const headers = __ENV.PREVIEW === "true" ? { "X-Platform-Preview": "true" } : {};

export const options = {
    vus: settings.virtualUsers,
    duration: `${settings.durationSeconds}s`,
    thresholds: {
        http_req_duration: [`p(95)<${settings.p95Ms}`],
        http_req_failed: [`rate<${settings.maxErrorRate}`],
    },
};

export default function () {
    for (const [service, base] of Object.entries(targets)) {
        const response = http.get(`${base.replace(/\/$/, "")}${settings.path}`, { headers, tags: { service } });
        check(response, { "status is 200": (r) => r.status === 200 });
    }
}
