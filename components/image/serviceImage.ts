import * as aws from "@pulumi/aws";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import * as path from "path";
import type { Profile } from "../../config";
import type { ImagesConfig } from "../../config/sections/images";
import type { ServiceConfig } from "../../config/sections/services";
import { contentTag, contextEntries } from "./contentTag";
import type { ImageSource } from "./imageSource";
import { keptTags, pinnedDigests } from "./keptTags";
import { isDigest, prebuiltRefFor, prebuiltVersion } from "./reference";
import { lifecyclePolicy, repositoryEncryption, repositoryForceDelete, repositoryName, repositoryRetainOnDelete } from "./repository";
import { stageContext } from "./stagedContext";

export interface ServiceImageArgs {
    /** The service as the stack configures it: `source` builds an image, `image` runs a prebuilt one. */
    service: ServiceConfig;
    /** The stack's `images` section: the build platform and how many tagged images ECR keeps. */
    settings: ImagesConfig;
    /** The stack: its project and name name the repository (`<project>-<stack>/<service>`); its profile picks encryption and deletion. */
    stack: { project: string; stack: string; profile: Profile };
    /** The stack's AWS provider (region, default tags); the repository, its key and every lookup use it. */
    provider: aws.Provider;
    /** Folder that `service.source` is relative to. Defaults to the working directory: the project folder under `pulumi up`. */
    sourceRoot?: string;
    /** The KMS key production repositories encrypt with. Defaults to a key this component creates, with yearly rotation. */
    kmsKeyArn?: pulumi.Input<string>;
    /**
     * Tags already in the repository whose layers seed a new build, e.g. the versions the
     * Deployments run. Read when a build is created; changing them later starts no rebuild.
     * Defaults to none beyond the build's own tag.
     */
    cacheFromVersions?: readonly string[];
}

/**
 * The value as an update fetches it, unknown in a preview. ECR hands out a new token on every call,
 * and a saved plan (`pulumi preview --save-plan`) that recorded the preview's token would refuse the
 * update's; an unknown input in a plan accepts any value (pulumi/pulumi pkg/resource/deploy/plan.go,
 * checkDiff and DeepEqualsIncludeUnknowns). The docker provider never rebuilds for a new password.
 */
function unknownInPreview(value: pulumi.Output<string>): pulumi.Output<string> {
    return value.apply((known) => (pulumi.runtime.isDryRun() ? (pulumi.unknown as unknown as string) : known));
}

/** The folder `service.source` is relative to: the project folder. */
const sourceRoot = (args: ServiceImageArgs) => args.sourceRoot ?? process.cwd();

/**
 * Where one service's image comes from. For a service with `source`: an ECR repository (scanned
 * on push, immutable tags, lifecycle policy, KMS in production) and a `docker.Image` built from
 * the source folder and tagged with its content hash. For a service with a prebuilt `image`:
 * nothing to create, the image is run as configured.
 */
export class ServiceImage extends pulumi.ComponentResource implements ImageSource {
    /** This update's version: the content tag of the build, or the prebuilt image's tag (digest when untagged). */
    readonly tag: string;
    /** What the Deployments run for `tag`: `<repository>@sha256:...` for a build, the configured reference for a prebuilt image. */
    readonly imageRef: pulumi.Output<string>;
    /** The service's ECR repository; absent for a prebuilt image. */
    readonly repository?: aws.ecr.Repository;
    /** The repository's URL, `<account>.dkr.ecr.<region>.amazonaws.com/<name>`; absent for a prebuilt image. */
    readonly repositoryUrl?: pulumi.Output<string>;
    /** The build of `tag`; absent for a prebuilt image. */
    readonly image?: docker.Image;

    private readonly provider: aws.Provider;
    private readonly serviceName: string;
    private readonly prebuilt?: string;
    private readonly resolved = new Map<string, pulumi.Output<string>>();

    constructor(name: string, args: ServiceImageArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:images:ServiceImage", name, {}, opts);
        this.provider = args.provider;
        const { service } = args;
        this.serviceName = service.name;
        if (service.image !== undefined) {
            this.prebuilt = service.image;
            this.tag = prebuiltVersion(service.image);
            this.imageRef = pulumi.output(service.image);
        } else {
            const source = path.resolve(sourceRoot(args), service.source as string);
            if (!fs.existsSync(path.join(source, "Dockerfile"))) {
                throw new pulumi.RunError(`service ${service.name}: source ${JSON.stringify(service.source)} has no Dockerfile (looked in ${source})`);
            }
            const entries = contextEntries(source);
            this.tag = contentTag(entries, { platform: args.settings.platform });
            const context = stageContext(sourceRoot(args), source, entries, this.tag);
            const pushed = this.registryHolds(repositoryName(args.stack.project, args.stack.stack, service.name), this.tag);
            const repository = this.createRepository(name, args);
            const image = this.build(name, args, context, repository, pushed);
            this.repository = repository;
            this.repositoryUrl = repository.repositoryUrl;
            this.image = image;
            // A tag ECR already held when this update began is deployed by the digest ECR holds,
            // which is the digest the build that pushed it reported (its repoDigest is `<repository>@<digest>`
            // of the push: pulumi/pulumi-docker provider/image.go, parseRepoDigestFromAux).
            this.imageRef = pushed.apply((held) => (held ? this.lookUp(repository, this.tag) : image.repoDigest));
        }
        this.registerOutputs({ tag: this.tag, imageRef: this.imageRef, repositoryUrl: this.repositoryUrl });
    }

    private createRepository(name: string, args: ServiceImageArgs): aws.ecr.Repository {
        const { profile } = args.stack;
        const encryptionType = repositoryEncryption(profile);
        const retainOnDelete = repositoryRetainOnDelete(profile);
        const kmsKey =
            encryptionType === "KMS"
                ? (args.kmsKeyArn ??
                  new aws.kms.Key(
                      `${name}-images`,
                      { description: `Encrypts the ${args.service.name} images in ECR`, enableKeyRotation: true, deletionWindowInDays: 30 },
                      { parent: this, provider: this.provider, retainOnDelete },
                  ).arn)
                : undefined;
        const repository = new aws.ecr.Repository(
            `${name}-repository`,
            {
                name: repositoryName(args.stack.project, args.stack.stack, args.service.name),
                imageTagMutability: "IMMUTABLE",
                imageScanningConfiguration: { scanOnPush: true },
                encryptionConfigurations: [{ encryptionType, ...(kmsKey ? { kmsKey } : {}) }],
                forceDelete: repositoryForceDelete(profile),
            },
            { parent: this, provider: this.provider, retainOnDelete },
        );
        // A version pinned by digest is kept through its image's tags, as ECR lists them (the lookup refFor makes too).
        const digestTags = pinnedDigests(args.service).map(
            (imageDigest) => aws.ecr.getImageOutput({ repositoryName: repository.name, imageDigest }, { parent: this, provider: this.provider }).imageTags,
        );
        new aws.ecr.LifecyclePolicy(
            `${name}-lifecycle`,
            {
                repository: repository.name,
                policy: pulumi
                    .all(digestTags)
                    .apply((tags) => JSON.stringify(lifecyclePolicy(args.settings.keepTaggedImages, [...keptTags(args.service, this.tag), ...tags.flat()]))),
            },
            { parent: this, provider: this.provider },
        );
        return repository;
    }

    /**
     * Whether ECR held `tag` in the repository `repositoryName` when this update began. Read before
     * the repository resource, whose name is known in advance; a repository that does not exist yet
     * holds nothing (asking for its images would fail).
     */
    private registryHolds(repositoryName: string, tag: string): pulumi.Output<boolean> {
        const opts = { parent: this, provider: this.provider };
        return aws.ecr.getRepositoriesOutput({}, opts).names.apply((names) =>
            names.includes(repositoryName) ? aws.ecr.getImagesOutput({ repositoryName }, opts).imageIds.apply((ids) => ids.some((id) => id.imageTag === tag)) : pulumi.output(false),
        );
    }

    private build(name: string, args: ServiceImageArgs, context: string, repository: aws.ecr.Repository, pushed: pulumi.Output<boolean>): docker.Image {
        const auth = aws.ecr.getAuthorizationTokenOutput({ registryId: repository.registryId }, { parent: this, provider: this.provider });
        const cacheTags = [...new Set([this.tag, ...(args.cacheFromVersions ?? [])])];
        // One resource per content tag: a tag is pushed once (tags are immutable), and a new
        // source is a new build rather than an update that would push over an existing tag.
        // Named `-build-` since builds run from the staged copy: a stack deployed before takes the
        // copy as a new build of a tag ECR holds (not pushed), never as an update that would push.
        return new docker.Image(
            `${name}-build-${this.tag}`,
            {
                imageName: pulumi.interpolate`${repository.repositoryUrl}:${this.tag}`,
                build: {
                    // The staged copy (stagedContext.ts), relative to the project, so the state and the provider's
                    // contextDigest read the same from every checkout. The CLI runs the program and its providers
                    // in the folder of `main` (pulumi/pulumi pkg/engine/project.go getPwdMain; plugin.go execPlugin
                    // `cmd.Dir = pwd`), here the project folder.
                    context,
                    platform: args.settings.platform,
                    // The pushed image carries its cache metadata, so later builds can reuse its layers.
                    args: { BUILDKIT_INLINE_CACHE: "1" },
                    cacheFrom: { images: cacheTags.map((tag) => pulumi.interpolate`${repository.repositoryUrl}:${tag}`) },
                },
                // ECR refuses a second push to an immutable tag (ImageTagAlreadyExistsException): a tag it already
                // holds (a source reverted to an earlier one) is built but not pushed, and deployed by ECR's digest.
                skipPush: pushed,
                registry: { server: repository.repositoryUrl, username: auth.userName, password: pulumi.secret(unknownInPreview(auth.password)) },
            },
            {
                parent: this,
                // skipPush counts when the build is created only: the update after a push finds the tag in ECR,
                // and must plan nothing. The engine applies ignoreChanges to the inputs before the provider's Check
                // (pulumi/pulumi pkg/resource/deploy/step_generator.go, processIgnoreChanges), and this provider's
                // Diff compares every input (pulumi/pulumi-docker provider/provider.go, Diff).
                ignoreChanges: ["build.cacheFrom", "skipPush"],
            },
        );
    }

    /**
     * The digest reference a Deployment runs for `version`: this update's build for its own tag,
     * the digest ECR holds for an earlier tag (or that digest itself), and for a prebuilt image
     * the configured reference when `version` is its tag or digest.
     */
    refFor(version: string): pulumi.Output<string> {
        if (version === this.tag) {
            return this.imageRef;
        }
        return this.repository ? this.lookUp(this.repository, version) : this.prebuiltRef(version);
    }

    private prebuiltRef(version: string): pulumi.Output<string> {
        const image = prebuiltRefFor(this.prebuilt as string, version);
        if (image === undefined) {
            throw new pulumi.RunError(
                `service ${this.serviceName}: version ${JSON.stringify(version)} is neither the tag nor the digest of its prebuilt image ${this.prebuilt}; to run another image, change services[].image`,
            );
        }
        return pulumi.output(image);
    }

    /** An earlier build, by tag or digest, as ECR holds it; one lookup per version. */
    private lookUp(repository: aws.ecr.Repository, version: string): pulumi.Output<string> {
        let ref = this.resolved.get(version);
        if (!ref) {
            const found = aws.ecr.getImageOutput(
                { repositoryName: repository.name, ...(isDigest(version) ? { imageDigest: version } : { imageTag: version }) },
                { parent: this, provider: this.provider },
            );
            ref = pulumi.interpolate`${repository.repositoryUrl}@${found.imageDigest}`;
            this.resolved.set(version, ref);
        }
        return ref;
    }
}
