import { strict as assert } from "assert";
import { diffRenders } from "../../tools/engine/diff";
import { render } from "../harness";

const jobType = "kubernetes:batch/v1:Job";
const instanceType = "aws:rds/instance:Instance";

describe("the role bootstrap Job follows the database instance", () => {
    it("runs every service's Job again on a new database instance, the old Job deleted first", async () => {
        const before = await render("dev");
        // A new database name replaces the instance (tools/engine/replacements.ts): same identifier and host, no roles.
        const after = await render("dev", { "platform:database.databaseName": "orders" });
        const diff = diffRenders(before.rendered, after.rendered);
        assert.equal(diff.changed.find((c) => c.type === instanceType)?.kind, "replace");
        assert.equal(before.one(instanceType).inputs.identifier, after.one(instanceType).inputs.identifier);
        const jobs = after.ofType(jobType);
        assert.ok(jobs.length > 0);
        for (const job of jobs) {
            const was = before.one(jobType, job.name);
            assert.notEqual((job.inputs as any).metadata.name, (was.inputs as any).metadata.name, `${job.name} is a new Job`);
            assert.equal(diff.changed.find((c) => c.type === jobType && c.name === job.name)?.kind, "replace");
            assert.equal(job.options.deleteBeforeReplace, true);
        }
    });

    it("leaves the Jobs alone while the instance stays the same", async () => {
        const before = await render("dev");
        const after = await render("dev", { "platform:database.instanceClass": "db.t4g.small" });
        const diff = diffRenders(before.rendered, after.rendered);
        assert.equal(diff.changed.find((c) => c.type === instanceType)?.kind, "update");
        assert.deepEqual(diff.changed.filter((c) => c.type === jobType), []);
    });
});
