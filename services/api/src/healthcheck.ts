import { get } from "http";

// The image's HEALTHCHECK: node itself asks /health/live, so the image needs no curl.
const port = Number(process.env.PORT ?? 8080);
const request = get({ host: "127.0.0.1", port, path: "/health/live", timeout: 2_000 }, (res) => {
    res.resume();
    process.exit(res.statusCode === 200 ? 0 : 1);
});
request.on("timeout", () => request.destroy(new Error("timeout")));
request.on("error", () => process.exit(1));
