import * as aws from "@pulumi/aws";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import type { Profile } from "../../config";
import type { ImagesSettings } from "../../config/sections/images";
import type { ServiceSettings } from "../../config/sections/services";
import type { ImageSource } from "../imageSource";
import { contentTag } from "./contentTag";
import { lifecyclePolicy } from "./lifecyclePolicy";

export interface ServiceImageArgs {
    /** The service: its name, and its `source` folder. */
    readonly service: Pick<ServiceSettings, "name" | "source">;
    readonly settings: ImagesSettings;
    /** `production` encrypts the repository with a customer-managed key and never force-deletes it. */
    readonly profile: Profile;
    /** The folder `source` is relative to: the project. */
    readonly projectDir: string;
    /** The repository's name prefix, e.g. `platform-dev`. */
    readonly repositoryPrefix: string;
}

/**
 * A service's ECR repository (scanned on push, immutable tags, expiring old images) and the
 * image built from its source, tagged by content. Deployments run digests, never tags.
 */
export class ServiceImage extends pulumi.ComponentResource implements ImageSource {
    readonly tag: string;
    readonly repositoryUrl: pulumi.Output<string>;
    readonly repositoryName: pulumi.Output<string>;
    private readonly image: docker.Image;

    constructor(name: string, args: ServiceImageArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:images:ServiceImage", name, {}, opts);
        const source = path.resolve(args.projectDir, args.service.source as string);
        this.tag = contentTag(source);
        const production = args.profile === "production";

        const key = production ? new aws.kms.Key(name, { description: `ECR repository ${args.repositoryPrefix}/${args.service.name}`, enableKeyRotation: true, deletionWindowInDays: 30 }, { parent: this }) : undefined;
        const repository = new aws.ecr.Repository(
            name,
            {
                name: `${args.repositoryPrefix}/${args.service.name}`,
                imageTagMutability: "IMMUTABLE",
                imageScanningConfiguration: { scanOnPush: true },
                encryptionConfigurations: [key ? { encryptionType: "KMS", kmsKey: key.arn } : { encryptionType: "AES256" }],
                forceDelete: !production,
            },
            { parent: this },
        );
        new aws.ecr.LifecyclePolicy(name, { repository: repository.name, policy: JSON.stringify(lifecyclePolicy(args.settings.keepTaggedImages)) }, { parent: this });
        this.repositoryUrl = repository.repositoryUrl;
        this.repositoryName = repository.name;

        const token = aws.ecr.getAuthorizationTokenOutput({ registryId: repository.registryId }, { parent: this });
        this.image = new docker.Image(
            name,
            {
                imageName: pulumi.interpolate`${repository.repositoryUrl}:${this.tag}`,
                build: {
                    context: source,
                    dockerfile: path.join(source, "Dockerfile"),
                    platform: args.settings.platform,
                    // An image already in the repository under this tag is reused layer by layer.
                    cacheFrom: { images: [pulumi.interpolate`${repository.repositoryUrl}:${this.tag}`] },
                    args: { BUILDKIT_INLINE_CACHE: "1" },
                },
                registry: { server: repository.repositoryUrl, username: token.userName, password: pulumi.secret(token.password) },
            },
            { parent: this },
        );
        this.registerOutputs({ repositoryUrl: this.repositoryUrl, tag: this.tag, repoDigest: this.image.repoDigest });
    }

    /** The digest a version runs: this update's build for its own tag, the repository's record for an earlier one. */
    refFor(version: string): pulumi.Output<string> {
        if (version === this.tag) {
            return this.image.repoDigest;
        }
        const found = aws.ecr.getImageOutput({ repositoryName: this.repositoryName, imageTag: version }, { parent: this });
        return pulumi.interpolate`${this.repositoryUrl}@${found.imageDigest}`;
    }
}
