import * as fs from "fs";
import { parseArgs } from "util";

// Posts a command's output on a pull request as one comment per key (e.g. `preview-dev`), and
// edits that comment on the next run instead of adding another, so a PR shows the latest only.

const usage = `Posts (or updates) one comment on a pull request.

  npm run pr-comment -- --pr <number> --key <key> --title <title> --body-file <file>
                        [--language diff] [--expect-head-sha <sha>]

Environment: GITHUB_TOKEN, GITHUB_REPOSITORY (owner/name), GITHUB_API_URL (default https://api.github.com).
--expect-head-sha refuses to comment unless the pull request's head is that commit (for output that
comes from an untrusted run, such as a fork's).`;

/** GitHub refuses comment bodies longer than this. */
export const commentLimit = 65_536;

/** The hidden first line that identifies a comment by its key. */
export function marker(key: string): string {
    return `<!-- platform:${key} -->`;
}

/** A code fence longer than any run of backticks in the text, so the text cannot close it. */
export function fenceFor(text: string): string {
    const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
    return "`".repeat(Math.max(3, longest + 1));
}

export interface CommentContent {
    key: string;
    title: string;
    /** The output to show verbatim. */
    text: string;
    /** Highlighting for the code block, e.g. `diff`. */
    language?: string;
}

/** The comment: marker, title, and the output in a code block, cut from the front to fit GitHub's limit. */
export function commentBody(content: CommentContent, limit = commentLimit): string {
    const compose = (text: string, cut: number) => {
        const fence = fenceFor(text);
        const note = cut > 0 ? `\n_The first ${cut} characters are cut; the job log has the whole output._\n` : "";
        return `${marker(content.key)}\n### ${content.title}\n${note}\n${fence}${content.language ?? ""}\n${text.replace(/\n$/, "")}\n${fence}\n`;
    };
    const whole = compose(content.text, 0);
    if (whole.length <= limit) {
        return whole;
    }
    // Keep the end: Pulumi and the render diff print their summary last.
    let cut = whole.length - limit + 200;
    while (compose(content.text.slice(cut), cut).length > limit) {
        cut += 200;
    }
    return compose(content.text.slice(cut), cut);
}

/** The few GitHub REST calls the comment needs. */
export interface GitHubApi {
    request(method: string, path: string, body?: unknown): Promise<{ status: number; data: unknown; next?: string }>;
}

/** A GitHub REST client for one repository's API root, authenticated with a token. */
export function gitHubApi(apiUrl: string, token: string, fetchImpl: typeof fetch = fetch): GitHubApi {
    return {
        async request(method, path, body) {
            const url = path.startsWith("http") ? path : `${apiUrl.replace(/\/+$/, "")}${path}`;
            const response = await fetchImpl(url, {
                method,
                headers: {
                    accept: "application/vnd.github+json",
                    authorization: `Bearer ${token}`,
                    "x-github-api-version": "2022-11-28",
                    ...(body === undefined ? {} : { "content-type": "application/json" }),
                },
                body: body === undefined ? undefined : JSON.stringify(body),
            });
            const data: unknown = await response.json().catch(() => undefined);
            if (!response.ok) {
                const reason = (data as { message?: string } | undefined)?.message ?? response.statusText;
                throw new Error(`GitHub answered ${response.status} to ${method} ${path}: ${reason}`);
            }
            const next = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get("link") ?? "")?.[1];
            return { status: response.status, data, next };
        },
    };
}

/** Refuses to go on unless the pull request's head is the commit whose output this is. */
export async function assertPullRequestHead(api: GitHubApi, repository: string, pr: number, sha: string): Promise<void> {
    const { data } = await api.request("GET", `/repos/${repository}/pulls/${pr}`);
    const head = (data as { head?: { sha?: string } } | undefined)?.head?.sha;
    if (head !== sha) {
        throw new Error(`pull request #${pr} is at ${head ?? "an unknown commit"}, not ${sha}: not commenting output of another commit`);
    }
}

/** Edits the comment that carries the key's marker, or adds one; returns which it did. */
export async function upsertComment(api: GitHubApi, repository: string, pr: number, key: string, body: string): Promise<"created" | "updated"> {
    let page: string | undefined = `/repos/${repository}/issues/${pr}/comments?per_page=100`;
    while (page) {
        const { data, next } = await api.request("GET", page);
        const existing = (data as { id: number; body?: string }[]).find((comment) => comment.body?.startsWith(marker(key)));
        if (existing) {
            await api.request("PATCH", `/repos/${repository}/issues/comments/${existing.id}`, { body });
            return "updated";
        }
        page = next;
    }
    await api.request("POST", `/repos/${repository}/issues/${pr}/comments`, { body });
    return "created";
}

function required(name: string, value: string | undefined): string {
    if (!value) {
        throw new Error(`${name} is required\n\n${usage}`);
    }
    return value;
}

async function main(): Promise<void> {
    const { values } = parseArgs({
        options: {
            pr: { type: "string" },
            key: { type: "string" },
            title: { type: "string" },
            "body-file": { type: "string" },
            language: { type: "string" },
            "expect-head-sha": { type: "string" },
        },
    });
    const prText = required("--pr", values.pr);
    if (!/^[1-9]\d*$/.test(prText)) {
        throw new Error(`--pr ${JSON.stringify(prText)}: expected a pull request number`);
    }
    const pr = Number(prText);
    const key = required("--key", values.key);
    if (!/^[a-z0-9-]+$/.test(key)) {
        throw new Error(`--key ${JSON.stringify(key)}: expected lower-case letters, digits and dashes`);
    }
    const repository = required("GITHUB_REPOSITORY", process.env.GITHUB_REPOSITORY);
    const api = gitHubApi(process.env.GITHUB_API_URL ?? "https://api.github.com", required("GITHUB_TOKEN", process.env.GITHUB_TOKEN));
    if (values["expect-head-sha"]) {
        await assertPullRequestHead(api, repository, pr, values["expect-head-sha"]);
    }
    const text = fs.readFileSync(required("--body-file", values["body-file"]), "utf8");
    const body = commentBody({ key, title: required("--title", values.title), text, language: values.language });
    console.log(`${await upsertComment(api, repository, pr, key, body)} the ${key} comment on #${pr}`);
}

if (require.main === module) {
    main().catch((error: unknown) => {
        console.error(error instanceof Error ? error.message : String(error));
        process.exitCode = 1;
    });
}
