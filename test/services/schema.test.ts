import { strict as assert } from "assert";
import { schemaProblems } from "../../tools/engine/kubernetesSchema";
import { render, stacks } from "../harness";

describe("Kubernetes API schema", () => {
    for (const stack of stacks) {
        it(`accepts every Kubernetes object the ${stack} stack renders`, async () => {
            const objects = (await render(stack)).manifests().map((m) => m.object);
            assert.ok(objects.length > 0);
            for (const object of objects) {
                assert.deepEqual(await schemaProblems(object), [], `${object.kind} ${object.metadata?.name}`);
            }
        });
    }

    it("catches an object the API server would reject", async () => {
        const [deployment] = (await render("dev")).objects("Deployment");
        const broken = structuredClone(deployment) as any;
        broken.spec.template.spec.containers[0].ports[0].containerPort = "http";
        const problems = await schemaProblems(broken);
        assert.equal(problems.length, 1);
        assert.match(problems[0], /containerPort/);
    });
});
