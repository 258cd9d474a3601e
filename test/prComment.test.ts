import { strict as assert } from "assert";
import * as http from "http";
import type { AddressInfo } from "net";
import { assertPullRequestHead, commentBody, commentLimit, fenceFor, gitHubApi, marker, upsertComment } from "../tools/prComment";

interface Comment {
    id: number;
    body: string;
}

/** Just enough of GitHub's REST API, on loopback, to list (two per page), add and edit PR comments. */
async function fakeGitHub(comments: Comment[], headSha = "abc123") {
    const calls: string[] = [];
    const server = http.createServer((request, response) => {
        let raw = "";
        request.on("data", (chunk) => (raw += chunk));
        request.on("end", () => {
            const url = new URL(request.url ?? "/", "http://github.test");
            calls.push(`${request.method} ${url.pathname}${url.searchParams.has("page") ? `?page=${url.searchParams.get("page")}` : ""}`);
            assert.equal(request.headers.authorization, "Bearer token-1");
            const send = (status: number, data: unknown, link?: string) => {
                response.writeHead(status, { "content-type": "application/json", ...(link ? { link } : {}) });
                response.end(JSON.stringify(data));
            };
            if (request.method === "GET" && url.pathname === "/repos/acme/platform/issues/7/comments") {
                const page = Number(url.searchParams.get("page") ?? "1");
                const next = page * 2 < comments.length ? `<http://${request.headers.host}${url.pathname}?per_page=100&page=${page + 1}>; rel="next"` : undefined;
                return send(200, comments.slice((page - 1) * 2, page * 2), next);
            }
            if (request.method === "POST" && url.pathname === "/repos/acme/platform/issues/7/comments") {
                comments.push({ id: 100 + comments.length, body: JSON.parse(raw).body });
                return send(201, {});
            }
            const edit = /^\/repos\/acme\/platform\/issues\/comments\/(\d+)$/.exec(url.pathname);
            if (request.method === "PATCH" && edit) {
                const comment = comments.find((c) => c.id === Number(edit[1]));
                if (comment) {
                    comment.body = JSON.parse(raw).body;
                    return send(200, comment);
                }
            }
            if (request.method === "GET" && url.pathname === "/repos/acme/platform/pulls/7") {
                return send(200, { head: { sha: headSha } });
            }
            send(404, { message: "Not Found" });
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return { api: gitHubApi(`http://127.0.0.1:${port}`, "token-1"), calls, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe("pull request comments (npm run pr-comment)", () => {
    it("adds one comment per key, then edits that comment on every later run", async () => {
        const comments: Comment[] = [
            { id: 1, body: "LGTM" },
            { id: 2, body: `${marker("preview-dev")}\nold dev preview` },
            { id: 3, body: "please rebase" },
        ];
        const github = await fakeGitHub(comments);
        try {
            assert.equal(await upsertComment(github.api, "acme/platform", 7, "preview-production", `${marker("preview-production")}\nfirst`), "created");
            assert.equal(await upsertComment(github.api, "acme/platform", 7, "preview-production", `${marker("preview-production")}\nsecond`), "updated");
            assert.equal(await upsertComment(github.api, "acme/platform", 7, "preview-dev", `${marker("preview-dev")}\nnew dev preview`), "updated");
            assert.deepEqual(
                comments.map((c) => c.body),
                ["LGTM", `${marker("preview-dev")}\nnew dev preview`, "please rebase", `${marker("preview-production")}\nsecond`],
            );
            assert.ok(github.calls.includes("GET /repos/acme/platform/issues/7/comments?page=2"), "follows pagination to find its comment");
        } finally {
            await github.close();
        }
    });

    it("refuses to comment a fork's output on a pull request whose head is another commit", async () => {
        const github = await fakeGitHub([], "abc123");
        try {
            await assertPullRequestHead(github.api, "acme/platform", 7, "abc123");
            await assert.rejects(assertPullRequestHead(github.api, "acme/platform", 7, "def456"), /pull request #7 is at abc123, not def456/);
        } finally {
            await github.close();
        }
    });

    it("reports GitHub's refusal with its reason", async () => {
        const github = await fakeGitHub([]);
        try {
            await assert.rejects(upsertComment(github.api, "acme/other", 7, "preview-dev", "x"), /GitHub answered 404 to GET .*: Not Found/);
        } finally {
            await github.close();
        }
    });

    it("shows the output verbatim in a code block the output cannot close", () => {
        const text = "+ aws:ec2/vpc:Vpc\n```\n# injected heading\n";
        const body = commentBody({ key: "render-dev", title: "Offline render diff: dev", text, language: "diff" });
        assert.ok(body.startsWith(`${marker("render-dev")}\n### Offline render diff: dev\n`));
        assert.equal(fenceFor(text), "````");
        assert.ok(body.includes("````diff\n+ aws:ec2/vpc:Vpc\n```\n# injected heading\n````\n"));
    });

    it("fits GitHub's size limit by cutting the start and keeping the summary at the end", () => {
        const text = `${"~ a line of preview output\n".repeat(5000)}Resources: 3 to create, 1 to update\n`;
        const body = commentBody({ key: "preview-production", title: "pulumi preview: production", text });
        assert.ok(body.length <= commentLimit, `${body.length} characters`);
        assert.match(body, /_The first \d+ characters are cut; the job log has the whole output._/);
        assert.match(body, /Resources: 3 to create, 1 to update\n```\n$/);
    });
});
