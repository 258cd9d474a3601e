import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import fc from "fast-check";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as path from "path";
import { renderStack } from "../tools/engine/render";
import { serializeState } from "../tools/engine/stateWire";

// The mock monitor answers the SDK without protobuf messages and without the SDK's per-value
// serializer: what it hands over must be what MockMonitor's own answer decodes to, key order included.

/** What MockMonitor hands the SDK for a created resource's state: the SDK's serialization, through a Struct. */
async function mockMonitorState(state: Record<string, unknown>): Promise<Record<string, unknown>> {
    return Struct.fromJavaScript((await pulumi.runtime.serializeProperties("", state)) as never).toJavaScript();
}

/** Equal values (null is not undefined), their keys in the same order. */
function assertSameAnswer(actual: unknown, expected: unknown): void {
    assert.deepEqual(actual, expected);
    assert.equal(JSON.stringify(actual), JSON.stringify(expected));
}

/** State as the fake cloud builds it: JSON's values, and undefined members and list items, and functions. */
const plainState = fc.letrec((tie) => ({
    value: fc.oneof(
        { depthSize: "small" },
        fc.constant(undefined),
        fc.constant(() => "a function"),
        fc.constant(null),
        fc.boolean(),
        fc.double(),
        fc.string({ maxLength: 4 }),
        fc.array(tie("value"), { maxLength: 4 }),
        tie("object"),
    ),
    object: fc.dictionary(fc.oneof(fc.string({ maxLength: 3 }), fc.nat({ max: 20 }).map(String), fc.constant("__proto__")), tie("value"), { maxKeys: 5 }),
})).object as fc.Arbitrary<Record<string, unknown>>;

describe("the render's answers to the SDK", () => {
    it("give a created resource's state as MockMonitor would, for plain data", async () => {
        await fc.assert(
            fc.asyncProperty(plainState, async (state) => {
                assertSameAnswer(await serializeState(state), await mockMonitorState(state));
            }),
        );
    });

    it("give a state holding what the SDK serializes itself (assets, secrets) as MockMonitor would", async () => {
        const state = {
            zeta: 1,
            code: new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset("exports.handler = 1") }),
            nested: { secret: { [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value: "hidden" }, list: [undefined, 2] },
        };
        assertSameAnswer(await serializeState(state), await mockMonitorState(state));
    });
});

describe("a render and the process's stack traces", () => {
    it("leaves stack traces as it found them, frames and source positions included", async () => {
        const { stackTraceLimit, prepareStackTrace } = Error;
        await renderStack({ projectDir: path.join(__dirname, "fixtures", "engine"), stack: "test" });
        assert.equal(Error.stackTraceLimit, stackTraceLimit);
        assert.equal(Error.prepareStackTrace, prepareStackTrace);
        assert.match(new Error("after the render").stack ?? "", /engineWire\.test\.ts:\d+:\d+/);
    });

    it("leaves stack traces as it found them after renders that overlap", async () => {
        const { stackTraceLimit, prepareStackTrace } = Error;
        const fixture = path.join(__dirname, "fixtures", "engine");
        await Promise.all([renderStack({ projectDir: fixture, stack: "test" }), renderStack({ projectDir: fixture, stack: "strict" })]);
        assert.equal(Error.stackTraceLimit, stackTraceLimit);
        assert.equal(Error.prepareStackTrace, prepareStackTrace);
    });

    it("still reports a program's error by its message", async () => {
        await assert.rejects(
            renderStack({ projectDir: path.join(__dirname, "fixtures", "engine"), stack: "strict", overrides: { "fixture:forgetProvider": true } }),
            /Default provider for 'aws' disabled/,
        );
        assert.match(new Error("after a failed render").stack ?? "", /engineWire\.test\.ts:\d+:\d+/);
    });
});
