import { createHash } from "crypto";
import { fakeAccountId } from "../fakeAccount";
import type { OutputSynthesizer } from "./types";

/** A digest that changes with what the image was built from, as a registry would report it. */
export function fakeDigest(...parts: unknown[]): string {
    return `sha256:${createHash("sha256").update(JSON.stringify(parts)).digest("hex")}`;
}

/** Outputs of the images resources the program reads back, as the fake cloud reports them. */
export const imagesOutputs: Record<string, OutputSynthesizer> = {

    "aws:ecr/repository:Repository": (name, inputs, region) => ({
        registryId: fakeAccountId,
        repositoryUrl: `${fakeAccountId}.dkr.ecr.${region}.amazonaws.com/${inputs.name ?? name}`,
    }),
    "docker:index/image:Image": (_name, inputs) => {
        const imageName = String(inputs.imageName);
        const repository = imageName.slice(0, imageName.lastIndexOf(":"));
        return { repoDigest: `${repository}@${fakeDigest(imageName, inputs.build?.platform)}`, platform: inputs.build?.platform };
    },
};
