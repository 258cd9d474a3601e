import type * as pulumi from "@pulumi/pulumi";
import type { FakeAccount } from "./fakeAccount";
import { invokeAnswers } from "./invokes";
import { synthesizeOutputs } from "./outputs";

/** The fake cloud behind a render: deterministic IDs and outputs, offline answers to lookups. */
export class FakeCloud implements pulumi.runtime.Mocks {
    constructor(
        private readonly region: string,
        private readonly account: FakeAccount,
    ) {}

    newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
        // The SDK passes "" for a new resource; an empty ID would read as unknown.
        const id = args.custom ? args.id || `${args.name}-id` : undefined;
        return { id, state: synthesizeOutputs(args.type, args.name, id ?? args.name, args.inputs ?? {}, this.region) };
    }

    call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult {
        const answer = invokeAnswers[args.token];
        if (!answer) {
            throw new Error(`The render has no offline answer for ${args.token}; add one to tools/engine/invokes.ts`);
        }
        return answer(args.inputs ?? {}, this.region, this.account);
    }
}
