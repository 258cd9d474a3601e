import { strict as assert } from "assert";
import * as http from "http";
import type { AddressInfo } from "net";
import { smokeTargets, waitUntilReady } from "../tools/smoke";

/** A service on loopback that answers each request with the next status of a script (the last one repeats). */
async function scriptedService(statuses: number[]): Promise<{ url: string; requests: string[]; close: () => Promise<void> }> {
    const requests: string[] = [];
    const server = http.createServer((request, response) => {
        requests.push(request.url ?? "");
        response.statusCode = statuses[Math.min(requests.length - 1, statuses.length - 1)];
        response.end(JSON.stringify({ status: response.statusCode === 200 ? "ready" : "starting" }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const noPause = () => Promise.resolve();

describe("smoke test (npm run smoke)", () => {
    it("checks each service's readiness endpoint from the serviceUrls output", () => {
        assert.deepEqual(smokeTargets({ serviceUrls: { api: "https://api.example.com/", admin: "http://alb-123.eu-west-1.elb.amazonaws.com" }, region: "eu-west-1" }), [
            { service: "api", url: "https://api.example.com/health/ready" },
            { service: "admin", url: "http://alb-123.eu-west-1.elb.amazonaws.com/health/ready" },
        ]);
        assert.deepEqual(smokeTargets({ serviceUrls: {} }), []);
    });

    it("refuses outputs that do not say where the services answer", () => {
        assert.throws(() => smokeTargets({ region: "eu-west-1" }), /the stack has no serviceUrls output/);
        assert.throws(() => smokeTargets({ serviceUrls: { api: "[secret]" } }), /serviceUrls.api: "\[secret\]" is not an http\(s\) URL/);
    });

    it("waits through a service that is still starting and passes once it is ready", async () => {
        const service = await scriptedService([503, 503, 200]);
        try {
            const result = await waitUntilReady(`${service.url}/health/ready`, { attempts: 5, pause: noPause });
            assert.equal(result.ready, true);
            assert.deepEqual(result.attempts, [{ status: 503 }, { status: 503 }, { status: 200 }]);
            assert.deepEqual(service.requests, ["/health/ready", "/health/ready", "/health/ready"]);
        } finally {
            await service.close();
        }
    });

    it("gives up after the allowed attempts, pausing only between them", async () => {
        const service = await scriptedService([503]);
        let pauses = 0;
        try {
            const result = await waitUntilReady(`${service.url}/health/ready`, { attempts: 3, pause: async () => void pauses++ });
            assert.equal(result.ready, false);
            assert.equal(service.requests.length, 3);
            assert.equal(pauses, 2);
        } finally {
            await service.close();
        }
    });

    it("counts a load balancer that does not answer yet as a failed attempt", async () => {
        const service = await scriptedService([200]);
        await service.close();
        const result = await waitUntilReady(`${service.url}/health/ready`, { attempts: 2, pause: noPause });
        assert.equal(result.ready, false);
        assert.equal(result.attempts.length, 2);
        assert.match(result.attempts[0].error ?? "", /ECONNREFUSED/);
    });
});
