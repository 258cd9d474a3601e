// The post-deploy load test, run by CI with k6 against every service of a stack.
// Thresholds come from the stack's `loadTest` config (exported as the `loadTest` stack output);
// a breached threshold makes `k6 run` exit non-zero, which fails the pipeline.
import http from "k6/http";
import { check } from "k6";
import exec from "k6/execution";

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

// The preview route answers 403 to addresses outside its source CIDRs (components/service/ingress.ts):
// stop before the run rather than report a refused route as the service's error rate.
export function setup() {
    if (__ENV.PREVIEW !== "true") {
        return;
    }
    for (const [service, base] of Object.entries(targets)) {
        const response = http.get(`${base.replace(/\/$/, "")}${settings.path}`, { headers, tags: { service } });
        if (response.status === 403) {
            exec.test.abort(`${service}: the preview route refused this runner; list its egress CIDR in blueGreen.preview.sourceCidrs (docs/ci.md, "Runners")`);
        }
    }
}

export default function () {
    for (const [service, base] of Object.entries(targets)) {
        const response = http.get(`${base.replace(/\/$/, "")}${settings.path}`, { headers, tags: { service } });
        check(response, { "status is 200": (r) => r.status === 200 });
    }
}
