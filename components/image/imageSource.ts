import type * as pulumi from "@pulumi/pulumi";

/**
 * Where a service's containers come from: the image pipeline implements it, the service
 * component consumes it. A version is an image tag in the service's repository (for a built
 * service) and each Deployment runs the digest that tag resolves to, never the tag itself.
 */
export interface ImageSource {
    /** The tag the image built from source in this update carries; a prebuilt image's own tag. */
    readonly tag: string;
    /** The image reference pinned by digest (`<repository>@sha256:...`) that `version` runs. */
    refFor(version: string): pulumi.Output<string>;
}
