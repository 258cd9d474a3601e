import { strict as assert } from "assert";
import fc from "fast-check";
import { ecrRepositoryPattern, lifecyclePolicy, repositoryEncryption, repositoryForceDelete, repositoryName } from "../../components/image/repository";

const word = fc.stringMatching(/^[A-Za-z0-9._-]{1,30}$/);
const dnsLabel = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,20}[a-z0-9])?$/);

describe("ECR repositories: name, lifecycle, encryption, deletion", () => {
    it("names every repository as ECR allows, whatever the project and stack are called", () => {
        fc.assert(
            fc.property(word, word, dnsLabel, (project, stack, service) => {
                const name = repositoryName(project, stack, service);
                assert.match(name, ecrRepositoryPattern);
                assert.ok(name.length >= 2 && name.length <= 256);
            }),
        );
    });

    it("gives two services, or two stacks, different repositories", () => {
        fc.assert(
            fc.property(dnsLabel, dnsLabel, (a, b) => {
                fc.pre(a !== b);
                assert.notEqual(repositoryName("platform", "dev", a), repositoryName("platform", "dev", b));
                assert.notEqual(repositoryName("platform", a, "api"), repositoryName("platform", b, "api"));
            }),
        );
        assert.equal(repositoryName("platform", "dev", "api"), "platform-dev/api");
    });

    it("expires untagged images and keeps only the newest N tagged ones", () => {
        fc.assert(
            fc.property(fc.integer({ min: 1, max: 1000 }), (keep) => {
                const { rules } = lifecyclePolicy(keep);
                const untagged = rules.find((r) => r.selection.tagStatus === "untagged");
                const tagged = rules.find((r) => r.selection.tagStatus === "tagged");
                assert.deepEqual(untagged?.action, { type: "expire" });
                assert.deepEqual(
                    { countType: tagged?.selection.countType, countNumber: tagged?.selection.countNumber, patterns: tagged?.selection.tagPatternList },
                    { countType: "imageCountMoreThan", countNumber: keep, patterns: ["*"] },
                );
                assert.deepEqual(new Set(rules.map((r) => r.rulePriority)).size, rules.length, "ECR needs distinct priorities");
            }),
        );
    });

    it("encrypts production images with KMS and never deletes a production repository holding images", () => {
        assert.equal(repositoryEncryption("production"), "KMS");
        assert.equal(repositoryEncryption("dev"), "AES256");
        assert.equal(repositoryForceDelete("production"), false);
        assert.equal(repositoryForceDelete("dev"), true);
    });
});
