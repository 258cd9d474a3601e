import { strict as assert } from "assert";
import { isDigest, parseImageReference, prebuiltRefFor, prebuiltVersion } from "../../components/image/reference";

const digest = `sha256:${"ab".repeat(32)}`;

describe("image references", () => {
    it("reads tag and digest of an image reference, with a registry port kept in the repository", () => {
        assert.deepEqual(parseImageReference(`registry:5000/team/api:1.2.3@${digest}`), { repository: "registry:5000/team/api", tag: "1.2.3", digest });
        assert.deepEqual(parseImageReference("registry:5000/team/api"), { repository: "registry:5000/team/api" });
        assert.deepEqual(parseImageReference(`nginx@${digest}`), { repository: "nginx", digest });
    });

    it("a prebuilt image stands for its tag (or its digest) and runs as configured for that version only", () => {
        assert.equal(prebuiltVersion("nginx:1.27.3"), "1.27.3");
        assert.equal(prebuiltVersion(`nginx@${digest}`), digest);
        assert.equal(prebuiltRefFor(`nginx:1.27.3@${digest}`, "1.27.3"), `nginx:1.27.3@${digest}`);
        assert.equal(prebuiltRefFor(`nginx:1.27.3@${digest}`, digest), `nginx:1.27.3@${digest}`);
        assert.equal(prebuiltRefFor("nginx:1.27.3", "1.27.4"), undefined);
    });

    it("tells a digest version from a tag: sha256: and 64 lowercase hex digits", () => {
        assert.equal(isDigest(digest), true);
        for (const tag of ["src-0123456789abcdef", "1.27.3", `sha256:${"ab".repeat(31)}`, digest.toUpperCase(), `${digest}0`]) {
            assert.equal(isDigest(tag), false, tag);
        }
    });
});
