import { strict as assert } from "assert";
import { nodeGroupNameMaxLength } from "../config/sections/cluster";
import { render, stacks } from "./harness";

/**
 * The longest physical name AWS takes for resources Pulumi names: the logical name, "-" and a
 * 7-character random suffix. IAM CreateRole RoleName 64; S3 bucket 63, lowercase; EKS
 * CreateNodegroup nodegroupName 63; EC2 launch template 128; IAM inline policy 128; SNS topic 256.
 */
const limits: Record<string, { length: number; lowercase?: boolean }> = {
    "aws:iam/role:Role": { length: 64 },
    "aws:iam/rolePolicy:RolePolicy": { length: 128 },
    "aws:s3/bucket:Bucket": { length: 63, lowercase: true },
    "aws:eks/nodeGroup:NodeGroup": { length: 63 },
    "aws:ec2/launchTemplate:LaunchTemplate": { length: 128 },
    "aws:sns/topic:Topic": { length: 256 },
    "aws:rds/parameterGroup:ParameterGroup": { length: 255, lowercase: true },
    "aws:rds/subnetGroup:SubnetGroup": { length: 255, lowercase: true },
};

const autonamedLength = (logical: string) => logical.length + 8;

describe("names AWS accepts", () => {
    // The longest node group name config allows, in a region with long zone names, and a service of every kind.
    const longest = {
        "aws:region": "ap-southeast-5",
        "platform:services[0].ingress.certificateArn": "arn:aws:acm:ap-southeast-5:123456789012:certificate/0c5b6f2e-8d1a-4b7e-9f3c-2a6d4e8b1c70",
        "platform:cluster.nodeGroups": [{ name: "g".repeat(nodeGroupNameMaxLength), instanceTypes: ["m7i.large"], capacityType: "ON_DEMAND", minSize: 3, desiredSize: 3, maxSize: 9 }],
    };
    for (const stack of stacks) {
        it(`${stack}: every name Pulumi generates fits the AWS limit of its resource`, async () => {
            for (const q of [await render(stack), await render(stack, longest)]) {
                let checked = 0;
                for (const resource of q.resources.filter((r) => r.type in limits)) {
                    const limit = limits[resource.type];
                    const explicit = resource.inputs.name ?? resource.inputs.nodeGroupName ?? resource.inputs.bucket;
                    const length = typeof explicit === "string" ? explicit.length : autonamedLength(resource.name);
                    assert.ok(length <= limit.length, `${resource.type} ${resource.name}: ${length} > ${limit.length}`);
                    if (limit.lowercase) {
                        assert.equal(resource.name, resource.name.toLowerCase(), resource.name);
                    }
                    checked += 1;
                }
                assert.ok(checked > 0);
            }
        });
    }
});
