import * as pulumi from "@pulumi/pulumi";
import type { ImageSource } from "../imageSource";

/** The tag or digest a reference is pinned by, and the repository part before it. */
export function splitReference(reference: string): { repository: string; pin: string } {
    const at = reference.indexOf("@");
    if (at >= 0) {
        return { repository: reference.slice(0, at), pin: reference.slice(at + 1) };
    }
    const colon = reference.lastIndexOf(":");
    return { repository: reference.slice(0, colon), pin: reference.slice(colon + 1) };
}

/**
 * A service run from an image someone else builds: no repository, no build. A version replaces
 * its tag; production policy wants the reference pinned by digest.
 */
export class PrebuiltImage implements ImageSource {
    readonly tag: string;
    private readonly repository: string;

    constructor(private readonly reference: string) {
        const { repository, pin } = splitReference(reference);
        this.tag = pin;
        this.repository = repository;
    }

    refFor(version: string): pulumi.Output<string> {
        if (version === this.tag) {
            return pulumi.output(this.reference);
        }
        return pulumi.output(version.startsWith("sha256:") ? `${this.repository}@${version}` : `${this.repository}:${version}`);
    }
}
