import { strict as assert } from "assert";
import fc from "fast-check";
import { keptTags } from "../../components/image/keptTags";
import { ecrRepositoryPattern, lifecyclePolicy, repositoryEncryption, repositoryForceDelete, repositoryName, repositoryRetainOnDelete } from "../../components/image/repository";
import { expired, neverExpires, type StoredImage } from "./ecrLifecycle";

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

    it("never expires a kept tag, whatever was pushed since: no expiring rule can take it", () => {
        const tag = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,30}$/);
        // A repository's history: each push one image with one tag (tags are immutable), a few untagged leftovers.
        const history = fc.uniqueArray(tag, { minLength: 1, maxLength: 40 }).chain((tags) =>
            fc.record({
                tags: fc.constant(tags),
                kept: fc.subarray(tags, { minLength: 1, maxLength: Math.min(3, tags.length) }),
                untagged: fc.integer({ min: 0, max: 5 }),
                keep: fc.integer({ min: 1, max: 10 }),
            }),
        );
        fc.assert(
            fc.property(history, ({ tags, kept, untagged, keep }) => {
                const { rules } = lifecyclePolicy(keep, kept);
                const images: StoredImage[] = [...tags.map((t, i) => ({ tags: [t], pushedAt: i })), ...Array.from({ length: untagged }, (_, i) => ({ tags: [], pushedAt: i }))];
                const gone = expired(rules, images, tags.length + 30);
                for (const t of kept) {
                    assert.ok(neverExpires(rules, t), `the first rule selecting ${t} is its own, which expires nothing`);
                    assert.ok(![...gone].some((image) => image.tags.includes(t)), `${t} expired`);
                }
                // The rest still expire: the newest `keep` tagged images stay, kept ones among them counted.
                const survivors = images.filter((image) => image.tags.length > 0 && !gone.has(image));
                assert.ok(survivors.length <= keep + kept.length, "other tagged images beyond the newest N expire");
                assert.ok(images.filter((image) => image.tags.length === 0).every((image) => gone.has(image)), "untagged leftovers expire");
                assert.deepEqual(rules.map((r) => r.rulePriority), [...rules.map((r) => r.rulePriority)].sort((a, b) => a - b), "rules in ascending priority, as ECR returns them");
            }),
        );
    });

    it("without kept tags, an image a color runs expires after N newer pushes (what kept tags prevent)", () => {
        const { rules } = lifecyclePolicy(3);
        const images = ["src-live", "b", "c", "d"].map((t, i) => ({ tags: [t], pushedAt: i }));
        assert.deepEqual([...expired(rules, images, 10)].map((i) => i.tags[0]), ["src-live"]);
        assert.deepEqual([...expired(lifecyclePolicy(3, ["src-live"]).rules, images, 10)], []);
    });

    it("keeps this update's build and every version the release pins by tag, not digests", () => {
        const digest = `sha256:${"a".repeat(64)}`;
        const version = (v: string, number: number) => ({ version: v, number, config: {} as never });
        assert.deepEqual(keptTags({ release: { active: "blue", colors: {} } }, "src-b"), ["src-b"]);
        assert.deepEqual(keptTags({ release: { active: "green", previous: "blue", colors: { blue: version("src-1", 1), green: version("src-2", 2) } } }, "src-b"), ["src-1", "src-2", "src-b"]);
        assert.deepEqual(keptTags({ release: { version: "v1.2", active: "blue", colors: {} } }, "src-b"), ["src-b", "v1.2"]);
        assert.deepEqual(keptTags({ release: { version: digest, active: "blue", colors: { green: version(digest, 1) } } }, "src-b"), ["src-b"]);
    });

    it("encrypts production images with KMS and never deletes a production repository holding images", () => {
        assert.equal(repositoryEncryption("production"), "KMS");
        assert.equal(repositoryEncryption("dev"), "AES256");
        assert.equal(repositoryForceDelete("production"), false);
        assert.equal(repositoryForceDelete("dev"), true);
        assert.equal(repositoryRetainOnDelete("production"), true, "removing a service leaves its repository and images, rather than failing every later up");
        assert.equal(repositoryRetainOnDelete("dev"), false);
    });
});
