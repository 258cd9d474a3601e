import { createHash } from "crypto";
import { fakeAccountId } from "../fakeAccount";
import type { OutputSynthesizer } from "./types";

/** A registry digest derived from what identifies an image, so equal inputs give equal digests. */
export function fakeDigest(...identity: unknown[]): string {
    return `sha256:${createHash("sha256").update(JSON.stringify(identity)).digest("hex")}`;
}

/** `repo:tag` without its tag (a colon after the last slash). */
const withoutTag = (imageName: string) => {
    const colon = imageName.lastIndexOf(":");
    return colon > imageName.lastIndexOf("/") ? imageName.slice(0, colon) : imageName;
};

/** Outputs of the images resources the program reads back, as the fake cloud reports them. */
export const imagesOutputs: Record<string, OutputSynthesizer> = {
    "aws:ecr/repository:Repository": (name, inputs, region) => ({
        registryId: fakeAccountId,
        repositoryUrl: `${fakeAccountId}.dkr.ecr.${region}.amazonaws.com/${inputs.name ?? name}`,
    }),
    // The pushed manifest's digest follows the image name and the build settings, never the registry credentials.
    "docker:index/image:Image": (_name, inputs) => ({
        baseImageName: inputs.imageName,
        registryServer: inputs.registry?.server,
        repoDigest: `${withoutTag(String(inputs.imageName))}@${fakeDigest(inputs.imageName, inputs.build)}`,
    }),
};
