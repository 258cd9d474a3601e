import * as aws from "@pulumi/aws";
import type { PlatformConfig } from "../config";

/** The tags every AWS resource of the stack carries, for cost reports and ownership. */
export function stackTags(config: PlatformConfig): Record<string, string> {
    return { ...config.tags, project: config.project, stack: config.stack, "managed-by": "pulumi" };
}

/**
 * The one AWS provider of the stack: the region from `aws:region` and the stack's tags on every
 * resource. Default providers are disabled in Pulumi.yaml, so nothing reaches AWS another way.
 */
export function createAwsProvider(config: PlatformConfig): aws.Provider {
    return new aws.Provider("aws", { region: config.region, defaultTags: { tags: stackTags(config) } });
}
