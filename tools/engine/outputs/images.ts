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

/**
 * The digest ECR holds for a tag of a repository: a push and a later `aws.ecr.getImage` of that
 * tag agree, as they do in AWS (tags are immutable), so pinning a built tag changes no Deployment.
 */
export function fakeImageDigest(repositoryName: string, tag: string): string {
    return fakeDigest(repositoryName, tag);
}

/** `<registry>/<repository>:<tag>` split into the repository's name and the tag. */
function repositoryAndTag(imageName: string): { repositoryName: string; tag: string } {
    const repository = withoutTag(imageName);
    return { repositoryName: repository.slice(repository.indexOf("/") + 1), tag: imageName.slice(repository.length + 1) };
}

/** Outputs of the images resources the program reads back, as the fake cloud reports them. */
export const imagesOutputs: Record<string, OutputSynthesizer> = {
    "aws:ecr/repository:Repository": (name, inputs, region) => ({
        registryId: fakeAccountId,
        repositoryUrl: `${fakeAccountId}.dkr.ecr.${region}.amazonaws.com/${inputs.name ?? name}`,
    }),
    // The pushed manifest's digest follows the repository and the tag (a content tag covers the build settings), never the credentials.
    "docker:index/image:Image": (_name, inputs) => {
        const { repositoryName, tag } = repositoryAndTag(String(inputs.imageName));
        return {
            baseImageName: inputs.imageName,
            registryServer: inputs.registry?.server,
            // A build that is not pushed reports the local image ID instead (pulumi/pulumi-docker provider/image.go, dockerBuild).
            repoDigest: inputs.skipPush
                ? fakeDigest("local", repositoryName, tag)
                : `${withoutTag(String(inputs.imageName))}@${fakeImageDigest(repositoryName, tag)}`,
        };
    },
};
