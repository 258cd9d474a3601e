import { strict as assert } from "assert";
import { acmCertificateArn, dnsLabel, iamRoleArn, ipv4Cidr, pinnedImage } from "../config/rules";

function messages(schema: { safeParse(v: unknown): { success: boolean; error?: { issues: { message: string }[] } } }, value: unknown) {
    const result = schema.safeParse(value);
    return result.success ? [] : (result.error?.issues.map((i) => i.message) ?? []);
}

describe("shared value rules", () => {
    it("accepts IPv4 CIDRs and rejects prefixes beyond /32", () => {
        assert.deepEqual(messages(ipv4Cidr, "10.0.0.0/16"), []);
        assert.deepEqual(messages(ipv4Cidr, "10.0.0.0/33"), ["is not an IPv4 CIDR"]);
        assert.deepEqual(messages(ipv4Cidr, "10.0.0/16"), ["is not an IPv4 CIDR"]);
    });

    it("accepts DNS labels only", () => {
        assert.deepEqual(messages(dnsLabel, "api-2"), []);
        for (const bad of ["Api", "-api", "api_2", "a".repeat(64)]) {
            assert.equal(messages(dnsLabel, bad).length, 1, bad);
        }
    });

    it("pins prebuilt images by tag or digest and refuses latest", () => {
        assert.deepEqual(messages(pinnedImage, "public.ecr.aws/nginx/nginx:1.27.3"), []);
        assert.deepEqual(messages(pinnedImage, `registry.example.com:5000/team/app@sha256:${"a".repeat(64)}`), []);
        assert.deepEqual(messages(pinnedImage, "registry.example.com:5000/team/app"), [
            "has no tag or digest; pin it (name:1.2.3 or name@sha256:...)",
        ]);
        assert.deepEqual(messages(pinnedImage, "nginx:latest"), ["uses the moving tag latest; pin a version or a digest"]);
    });

    it("recognises role and certificate ARNs", () => {
        assert.deepEqual(messages(iamRoleArn, "arn:aws:iam::123456789012:role/platform/admins"), []);
        assert.equal(messages(iamRoleArn, "arn:aws:iam::123456789012:user/alice").length, 1);
        assert.deepEqual(messages(acmCertificateArn, "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-0000-1111-2222-333344445555"), []);
        assert.equal(messages(acmCertificateArn, "arn:aws:acm:eu-west-1:123456789012:cert/x").length, 1);
    });
});
