import { strict as assert } from "assert";
import type { Rendered } from "../tools/engine/model";
import { releaseSummary } from "../tools/engine/releaseSummary";

const withVersions = (serviceVersions: unknown): Rendered => ({ project: "p", stack: "s", resources: [], outputs: { serviceVersions } });

describe("the release summary", () => {
    it("reads tracks given as a version or as an object with a version, beside the live track", () => {
        const before = withVersions({ api: { strategy: "blueGreen", live: "blue", blue: { version: "v1", number: 4 }, green: { version: "v1", number: 4 } } });
        const after = withVersions({ api: { strategy: "blueGreen", live: "blue", previous: "green", blue: { version: "v1", number: 4 }, green: { version: "v2", number: 5 } } });
        assert.deepEqual(releaseSummary(before, after), ["api: green (idle: preview only) v1 → v2; traffic stays on blue (v1)"]);
    });

    it("takes a rolling service's one track as live", () => {
        const before = withVersions({ web: { strategy: "rolling", rolling: { version: "v1" } } });
        const after = withVersions({ web: { strategy: "rolling", rolling: { version: "v2" } } });
        assert.deepEqual(releaseSummary(before, after), ["web: rolls v1 → v2; traffic moves to the new pods as they become ready"]);
    });

    it("says how traffic is split when the output gives weights", () => {
        const before = withVersions({ api: { blue: "v1", green: "v2", weights: { blue: 100, green: 0 } } });
        const after = withVersions({ api: { blue: "v1", green: "v2", weights: { blue: 0, green: 100 } } });
        assert.deepEqual(releaseSummary(before, after), ["api: traffic 100% blue (v1) → 100% green (v2)"]);
    });

    it("names services that appear or go, and says nothing of those that do not change", () => {
        const before = withVersions({ api: { live: "blue", blue: "v1", green: "v1" }, old: { live: "rolling", rolling: "v3" } });
        const after = withVersions({ api: { live: "blue", blue: "v1", green: "v1" }, web: { live: "rolling", rolling: "v9" } });
        assert.deepEqual(releaseSummary(before, after), ["old: removed", "web: new, runs rolling v9; traffic to rolling (v9)"]);
    });
});
