import type * as pulumi from "@pulumi/pulumi";
import type { FakeAccount } from "./fakeAccount";
import { invokeAnswers } from "./invokes";
import { synthesizeOutputs } from "./outputs";

/** The fake cloud behind a render: deterministic IDs and outputs, offline answers to lookups. */
export class FakeCloud implements pulumi.runtime.Mocks {
    /** Each image digest the fake registry handed out, with the tag it was pushed or looked up as. */
    readonly imageTags: Record<string, string> = {};

    constructor(
        private readonly region: string,
        private readonly account: FakeAccount,
    ) {}

    newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
        // The SDK passes "" for a new resource; an empty ID would read as unknown.
        const id = args.custom ? args.id || `${args.name}-id` : undefined;
        const state = synthesizeOutputs(args.type, args.name, id ?? args.name, args.inputs ?? {}, this.region);
        if (args.type === "docker:index/image:Image") {
            this.remember(String(state.repoDigest), String(args.inputs.imageName));
        }
        return { id, state };
    }

    /** `<repo>@sha256:…` built from `<repo>:<tag>`, or looked up by that tag. */
    private remember(digestRef: string, taggedRef: string): void {
        const digest = /@(sha256:[0-9a-f]{64})$/.exec(digestRef)?.[1];
        const tag = /:([^:/@]+)$/.exec(taggedRef)?.[1];
        if (digest && tag) {
            this.imageTags[digest] = tag;
        }
    }

    call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult {
        const answer = invokeAnswers[args.token];
        if (!answer) {
            throw new Error(`The render has no offline answer for ${args.token}; add one to tools/engine/invokes.ts`);
        }
        const result = answer(args.inputs ?? {}, this.region, this.account);
        if (args.token === "aws:ecr/getImage:getImage" && args.inputs?.imageTag) {
            this.remember(String(result.imageUri), `${result.repositoryName}:${args.inputs.imageTag}`);
        }
        return result;
    }
}
