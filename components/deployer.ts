import * as aws from "@pulumi/aws";

/** The IAM role running the update (the session's issuer), e.g. the CI role or an engineer's SSO role. */
export async function deployerRoleArn(provider: aws.Provider): Promise<string> {
    const identity = await aws.getCallerIdentity({}, { provider });
    const session = await aws.iam.getSessionContext({ arn: identity.arn }, { provider });
    return session.issuerArn;
}
