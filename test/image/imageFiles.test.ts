import { strict as assert } from "assert";
import { pulledImages } from "./dockerfile";
import { controlFields, md5sumsEntries, packageName, searchOwners } from "./imageFiles";

// The readers the image test checks the built image with: they must read dpkg's and Docker's
// formats as those tools write them, or the image test would pass on a misreading.

describe("reading an image's dpkg records and a Dockerfile's bases", () => {
    it("takes each path's owner from dpkg-query --search, with its architecture, and skips dpkg's diversion notes", () => {
        const output = [
            "diversion by libc6 from: /lib64/ld-linux-x86-64.so.2",
            "diversion by libc6 to: /lib64/ld-linux-x86-64.so.2.usr-is-merged",
            "libc6:amd64: /usr/lib64/ld-linux-x86-64.so.2",
            "base-files: /lib64",
            "libstdc++6:arm64: /usr/lib/aarch64-linux-gnu/libstdc++.so.6.0.33",
        ].join("\n");
        assert.deepEqual(
            [...searchOwners(output)],
            [
                ["/usr/lib64/ld-linux-x86-64.so.2", "libc6:amd64"],
                ["/lib64", "base-files"],
                ["/usr/lib/aarch64-linux-gnu/libstdc++.so.6.0.33", "libstdc++6:arm64"],
            ],
        );
        assert.deepEqual(["libc6:amd64", "base-files"].map(packageName), ["libc6", "base-files"]);
    });

    it("reads md5sums lines as digest, two spaces and a path without its leading slash", () => {
        const text = "22891974b475b67e66d3575c9539c0a8  usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2\nd41d8cd98f00b204e9800998ecf8427e  usr/share/a  b\n";
        assert.deepEqual(
            [...md5sumsEntries(text)],
            [
                ["/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", "22891974b475b67e66d3575c9539c0a8"],
                ["/usr/share/a  b", "d41d8cd98f00b204e9800998ecf8427e"],
            ],
        );
    });

    it("reads a status paragraph's fields and leaves continuation lines out", () => {
        const record = "Package: libc6\nStatus: install ok installed\nVersion: 2.41-12+deb13u5\nDescription: GNU C Library: Shared libraries\n Contains the standard libraries.\n .\n";
        assert.deepEqual(controlFields(record), { Package: "libc6", Status: "install ok installed", Version: "2.41-12+deb13u5", Description: "GNU C Library: Shared libraries" });
    });

    it("counts as pulled only the images a stage starts from that are neither an earlier stage nor scratch", () => {
        const dockerfile = [
            "ARG BUILD_IMAGE=node:24.19.0-trixie-slim@sha256:0711",
            "FROM ${BUILD_IMAGE} AS build",
            "FROM build AS test",
            "FROM --platform=$BUILDPLATFORM golang:1.25 AS tools",
            "from scratch",
            "COPY --from=build /out /",
        ].join("\n");
        assert.deepEqual(pulledImages(dockerfile), ["${BUILD_IMAGE}", "golang:1.25"]);
        assert.deepEqual(pulledImages("FROM runtime\nFROM alpine AS runtime\n"), ["runtime", "alpine"], "a stage named later is still an image");
    });
});
