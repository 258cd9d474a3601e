import type { LifecyclePolicyArgs } from "@pulumi/aws/ecr/lifecyclePolicy";
import type { RepositoryArgs } from "@pulumi/aws/ecr/repository";
import { ecrImmutableTags, ecrKmsEncryption, ecrLifecyclePolicy, ecrScanOnPush } from "../../policy/rules/images";
import type { Shape } from "../../policy/rules/shapes";
import { assertCaught, assertClean, findings, resource, stackFindings } from "./fixtures";

/** A repository as the images component must build it in production. */
const compliant: Shape<RepositoryArgs> = {
    imageScanningConfiguration: { scanOnPush: true },
    imageTagMutability: "IMMUTABLE",
    encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: "arn:aws:kms:eu-west-1:123456789012:key/images" }],
};
const repository = (props: Shape<RepositoryArgs>) => resource<RepositoryArgs>("aws:ecr/repository:Repository", "api", { ...compliant, ...props });

describe("policy: ECR", () => {
    it("a repository built to the rules passes", () => {
        for (const rule of [ecrScanOnPush, ecrImmutableTags, ecrKmsEncryption]) {
            assertClean(findings(rule, repository({})));
        }
    });

    it("a repository that does not scan on push is refused", () => {
        assertCaught(findings(ecrScanOnPush, repository({ imageScanningConfiguration: { scanOnPush: false } })), /scanOnPush is not true/);
        assertCaught(findings(ecrScanOnPush, repository({ imageScanningConfiguration: undefined })), /scanOnPush is not true/);
    });

    it("mutable tags (ECR's default) are refused", () => {
        assertCaught(findings(ecrImmutableTags, repository({ imageTagMutability: undefined })), /imageTagMutability is MUTABLE/);
        assertCaught(findings(ecrImmutableTags, repository({ imageTagMutability: "IMMUTABLE_WITH_EXCLUSION" })), /IMMUTABLE_WITH_EXCLUSION/);
    });

    it("production layers must be encrypted with KMS", () => {
        assertCaught(findings(ecrKmsEncryption, repository({ encryptionConfigurations: [{ encryptionType: "AES256" }] })), /no KMS encryption/);
        assertCaught(findings(ecrKmsEncryption, repository({ encryptionConfigurations: undefined })), /no KMS encryption/);
    });

    it("a repository without a lifecycle policy taking its name is refused", () => {
        const repo = repository({});
        const policy = resource<LifecyclePolicyArgs>(
            "aws:ecr/lifecyclePolicy:LifecyclePolicy",
            "api-lifecycle",
            { repository: "api", policy: "{}" },
            { propertyDependencies: { repository: [repo.urn] } },
        );
        assertClean(stackFindings(ecrLifecyclePolicy, [repo, policy]));
        assertCaught(stackFindings(ecrLifecyclePolicy, [repo]), /repository api has no lifecycle policy/);
        const other = resource<LifecyclePolicyArgs>("aws:ecr/lifecyclePolicy:LifecyclePolicy", "worker-lifecycle", { repository: "worker", policy: "{}" });
        assertCaught(stackFindings(ecrLifecyclePolicy, [repo, other]), /repository api has no lifecycle policy/);
    });
});
