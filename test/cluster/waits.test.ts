import { strict as assert } from "assert";
import type { RenderedResource } from "../../tools/engine/model";
import type { RenderQuery } from "../../tools/engine/query";
import { render, stacks } from "../harness";

// A role's ARN exists before its policies: whatever runs with the role must wait for them too,
// which the dependency on `role.arn` alone never says. Mocks create everything at once; AWS does not.

const attachment = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const inlinePolicy = "aws:iam/rolePolicy:RolePolicy";
const addonNamed = (q: RenderQuery, name: string) => q.ofType("aws:eks/addon:Addon").find((a) => a.inputs.addonName === name) as RenderedResource;

/** The policies of the role an input of `resource` names. */
function policiesOfRoleIn(q: RenderQuery, resource: RenderedResource, input: string): RenderedResource[] {
    const role = q.sourceOf(resource, input);
    assert.equal(role.type, "aws:iam/role:Role", `${resource.name}.${input} is a role`);
    const policies = [...q.ofType(attachment), ...q.ofType(inlinePolicy)].filter((p) => q.sourcesOf(p, "role").some((r) => r.urn === role.urn));
    assert.ok(policies.length > 0, `${role.name} has policies`);
    return policies;
}

function assertWaitsForAll(q: RenderQuery, resource: RenderedResource, others: RenderedResource[]): void {
    for (const other of others) {
        assert.ok(q.waitsFor(resource, other), `${resource.name} waits for ${other.name}`);
    }
}

describe("waits a mock cannot see", () => {
    for (const stack of stacks) {
        it(`${stack}: node groups start once their role's policies and pod networking (the VPC CNI add-on, with its own role's policy) exist`, async () => {
            // EKS User Guide, cni-iam-role.html: aws-node needs AmazonEKS_CNI_Policy, which the node role here lacks;
            // until the add-on runs it with its IRSA role, nodes get no pod addresses and never turn Ready.
            const q = await render(stack);
            const cni = addonNamed(q, "vpc-cni");
            assertWaitsForAll(q, cni, policiesOfRoleIn(q, cni, "serviceAccountRoleArn"));
            for (const group of q.ofType("aws:eks/nodeGroup:NodeGroup")) {
                assertWaitsForAll(q, group, [cni, ...policiesOfRoleIn(q, group, "nodeRoleArn")]);
            }
        });

        it(`${stack}: the controllers and the CloudWatch agent start once their IRSA roles may act`, async () => {
            const q = await render(stack);
            const logs = addonNamed(q, "amazon-cloudwatch-observability");
            assertWaitsForAll(q, logs, policiesOfRoleIn(q, logs, "serviceAccountRoleArn"));
            for (const release of q.ofType("kubernetes:helm.sh/v3:Release")) {
                const values = release.inputs.values as any;
                const annotations = values.serviceAccount?.annotations ?? values.rbac?.serviceAccount?.annotations;
                assert.ok(annotations?.["eks.amazonaws.com/role-arn"], `${release.name} runs with an IRSA role`);
                const role = q.sourcesOf(release, "values").find((r) => r.type === "aws:iam/role:Role") as RenderedResource;
                const policies = [...q.ofType(attachment), ...q.ofType(inlinePolicy)].filter((p) => q.sourcesOf(p, "role").some((r) => r.urn === role.urn));
                assert.ok(policies.length > 0);
                assertWaitsForAll(q, release, policies);
            }
        });

        it(`${stack}: the VPC flow log starts once its role may write to the log group`, async () => {
            const q = await render(stack);
            const flowLog = q.one("aws:ec2/flowLog:FlowLog");
            assertWaitsForAll(q, flowLog, policiesOfRoleIn(q, flowLog, "iamRoleArn"));
        });

        it(`${stack}: the database role Jobs start once the nodes' pods may reach PostgreSQL`, async () => {
            // The Job's first connection is the rule's first user; without the wait it can time out on a
            // security group that does not yet admit the nodes (backoffLimit is small by design).
            const q = await render(stack);
            const rule = q.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").find((r) => r.inputs.fromPort === 5432) as RenderedResource;
            assert.ok(rule, "the database admits the nodes on 5432");
            const jobs = q.ofType("kubernetes:batch/v1:Job");
            assert.ok(jobs.length > 0);
            for (const job of jobs) {
                assert.ok(q.waitsFor(job, rule), `${job.name} waits for ${rule.name}`);
            }
        });
    }

    it("production: the database starts enhanced monitoring once its role may publish", async () => {
        const q = await render("production");
        const database = q.one("aws:rds/instance:Instance");
        assertWaitsForAll(q, database, policiesOfRoleIn(q, database, "monitoringRoleArn"));
    });

    it("production: writes the access log bucket's settings one after another, as S3 refuses concurrent changes of a bucket", async () => {
        // hashicorp/terraform-provider-aws#7628: 409 OperationAborted on PutBucketPolicy beside PutPublicAccessBlock.
        const q = await render("production");
        const bucket = q.one("aws:s3/bucket:Bucket");
        const settings = q.resources.filter((r) => r.type.startsWith("aws:s3/") && r.urn !== bucket.urn && q.sourcesOf(r, "bucket").some((b) => b.urn === bucket.urn));
        assert.equal(settings.length, 4);
        const ordered = [...settings].sort((a, b) => (q.waitsFor(a, b) ? 1 : q.waitsFor(b, a) ? -1 : 0));
        for (let i = 1; i < ordered.length; i++) {
            assert.ok(q.waitsFor(ordered[i], ordered[i - 1]), `${ordered[i].type} waits for ${ordered[i - 1].type}`);
        }
    });
});
