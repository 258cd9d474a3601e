import type { RepositoryArgs } from "@pulumi/aws/ecr/repository";
import { itemsOf, shapeOf, takesFrom, textOf } from "./shapes";
import type { ResourceRule, StackRule, Violation } from "./types";

const repository = "aws:ecr/repository:Repository";
const lifecyclePolicy = "aws:ecr/lifecyclePolicy:LifecyclePolicy";

export const ecrScanOnPush: ResourceRule = {
    kind: "resource",
    name: "ecr-scan-on-push",
    description: "ECR scans every image for known vulnerabilities when it is pushed.",
    enforcement: { dev: "mandatory", production: "mandatory" },
    resourceTypes: [repository],
    check: (resource) =>
        shapeOf<RepositoryArgs>(resource).imageScanningConfiguration?.scanOnPush === true
            ? []
            : ["imageScanningConfiguration.scanOnPush is not true: pushed images are never scanned for known vulnerabilities"],
};

export const ecrImmutableTags: ResourceRule = {
    kind: "resource",
    name: "ecr-immutable-tags",
    description: "ECR tags are immutable: a tag names one image forever, so a release cannot change under a running Deployment.",
    enforcement: { dev: "mandatory", production: "mandatory" },
    resourceTypes: [repository],
    check: (resource) => {
        const mutability = textOf(shapeOf<RepositoryArgs>(resource).imageTagMutability) || "MUTABLE";
        return mutability === "IMMUTABLE" ? [] : [`imageTagMutability is ${mutability}: pushing a tag again silently replaces the image it names; set IMMUTABLE`];
    },
};

export const ecrKmsEncryption: ResourceRule = {
    kind: "resource",
    name: "ecr-kms-encryption",
    description: "Production image layers are encrypted with a KMS key.",
    enforcement: { dev: "advisory", production: "mandatory" },
    resourceTypes: [repository],
    check: (resource) => {
        const encryption = itemsOf(shapeOf<RepositoryArgs>(resource).encryptionConfigurations);
        return encryption.some((setting) => textOf(setting?.encryptionType).startsWith("KMS"))
            ? []
            : ["encryptionConfigurations has no KMS encryption: layers are encrypted with ECR's AES-256 default, outside the platform's key policy"];
    },
};

export const ecrLifecyclePolicy: StackRule = {
    kind: "stack",
    name: "ecr-lifecycle-policy",
    description: "Every ECR repository has a lifecycle policy, so untagged and old images expire instead of piling up.",
    enforcement: { dev: "advisory", production: "mandatory" },
    resourceTypes: [repository],
    check: (resources) => {
        const policies = resources.filter((r) => r.type === lifecyclePolicy);
        const violations: Violation[] = [];
        for (const repo of resources.filter((r) => r.type === repository)) {
            if (!policies.some((policy) => takesFrom(policy, "repository", repo))) {
                violations.push({ urn: repo.urn, message: `repository ${repo.name} has no lifecycle policy: every pushed image is kept (and paid for) forever` });
            }
        }
        return violations;
    },
};

export const imagesRules: readonly (ResourceRule | StackRule)[] = [ecrScanOnPush, ecrImmutableTags, ecrKmsEncryption, ecrLifecyclePolicy];
