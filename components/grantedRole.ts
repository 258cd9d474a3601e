import type * as pulumi from "@pulumi/pulumi";

/** An IAM role, and the policies that must be attached before anything runs with it. */
export interface GrantedRole {
    readonly arn: pulumi.Output<string>;
    /** What a consumer of `arn` waits for: the role's ARN exists before its permissions do. */
    readonly permissions: pulumi.Resource[];
}
