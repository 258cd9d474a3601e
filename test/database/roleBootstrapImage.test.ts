import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { RenderQuery } from "../../tools/engine/query";
import { renderStack } from "../../tools/engine/render";
import { copyProject } from "../../tools/projectCopy";
import { render } from "../harness";
import { containerOf, pinned } from "../services/bluegreenFixtures";

const a = { version: "src-aaaaaaaaaaaaaaaa", number: 1 };
const b = { version: "src-bbbbbbbbbbbbbbbb", number: 2 };

const jobImage = (q: RenderQuery) => (q.objects("Job").find((j) => j.metadata.labels?.["platform.io/service"] === "api") as any).spec.template.spec.containers[0].image;
const trackImage = (q: RenderQuery, track: string) => containerOf(q.objects("Deployment", track)[0]).image;

describe("the role bootstrap runs released code only", () => {
    it("runs the live color's image once a release is out, and keeps it through the promotion (a rollback: blueGreen.test.ts, weights only)", async () => {
        // Release 2 of b has gone to the idle green; blue, live, runs release 1 of a.
        const released = await render("production", pinned("blue", a, b));
        assert.equal(jobImage(released), trackImage(released, "api-blue"));
        assert.notEqual(jobImage(released), trackImage(released, "api-green"), "never the release no traffic has reached");
        // Promoted: green serves b; the Job stays on a, which served, so a cutover changes the weights only.
        const promoted = await render("production", pinned("green", a, b, { previous: "blue" }));
        assert.equal(jobImage(promoted), jobImage(released));
        // Release 3 of c to the idle blue: the Job moves to b, which green serves.
        const next = await render("production", pinned("green", { version: "src-cccccccccccccccc", number: 3 }, b));
        assert.equal(jobImage(next), trackImage(next, "api-green"));
    });

    it("keeps the Job when only the source changes: this update's build reaches neither the live color nor the bootstrap", async () => {
        const copy = copyProject();
        try {
            const overrides = pinned("blue", a, b);
            const before = new RenderQuery(await renderStack({ projectDir: copy.dir, stack: "production", overrides }));
            fs.appendFileSync(path.join(copy.dir, "services/api/src/bootstrap.ts"), "\n// unreleased\n");
            const after = new RenderQuery(await renderStack({ projectDir: copy.dir, stack: "production", overrides }));
            const builds = (q: RenderQuery) => q.ofType("docker:index/image:Image").map((image) => image.inputs.imageName);
            assert.equal(builds(after).length, 1);
            assert.notDeepEqual(builds(after), builds(before), "the source change is a new build");
            assert.equal(jobImage(after), jobImage(before));
        } finally {
            copy.cleanup();
        }
    });

    it("runs the version a rolling service pins, and this update's build on a first deployment", async () => {
        const rolling = await render("dev", { "platform:services[0].release": { version: "src-cccccccccccccccc" } });
        assert.equal(jobImage(rolling), trackImage(rolling, "api"));
        const first = await render("production");
        assert.equal(jobImage(first), trackImage(first, "api-blue"), "no release yet: the build both colors run");
    });
});
