import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * Where an ALB writes its logs under a prefix: `<prefix>/AWSLogs/<account>/...`, the path its
 * write test (`ELBAccessLogTestFile`) checks before the controller may enable logging
 * (Elastic Load Balancing, enable-access-logging.html, "Step 2: Attach a policy to your S3 bucket").
 */
export function accessLogObjects(bucketArn: string, prefixes: readonly string[], accountId: string): string[] {
    return prefixes.map((prefix) => `${bucketArn}/${prefix}/AWSLogs/${accountId}/*`);
}

/** Who may write ALB access logs, and only under the services' prefixes: the regional ELB account, and the log delivery service newer regions use. */
export function accessLogsPolicy(bucketArn: string, elbAccountArn: string, objects: readonly string[]): string {
    // A statement with no resource is invalid: with no ALB yet, only the TLS rule stands.
    const writers = objects.length === 0 ? [] : [
        { Effect: "Allow", Principal: { AWS: elbAccountArn }, Action: "s3:PutObject", Resource: [...objects] },
        { Effect: "Allow", Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" }, Action: "s3:PutObject", Resource: [...objects] },
    ];
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            ...writers,
            { Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [bucketArn, `${bucketArn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } },
        ],
    });
}

/**
 * The bucket ALBs write access logs to: private, encrypted (ALBs can only write SSE-S3), TLS
 * only, and expiring logs after the retention period. Its settings are written one after another:
 * S3 answers concurrent changes of one bucket with 409 OperationAborted ("A conflicting
 * conditional operation is currently in progress", hashicorp/terraform-provider-aws#7628).
 */
export function createAccessLogsBucket(
    name: string,
    args: { retentionDays: number; prefixes: readonly string[] },
    parent: pulumi.Resource,
): { bucket: aws.s3.Bucket; policy: aws.s3.BucketPolicy } {
    const bucket = new aws.s3.Bucket(name, { forceDestroy: false }, { parent });
    const publicAccess = new aws.s3.BucketPublicAccessBlock(
        name,
        { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
        { parent },
    );
    const encryption = new aws.s3.BucketServerSideEncryptionConfiguration(
        name,
        { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
        { parent, dependsOn: [publicAccess] },
    );
    const lifecycle = new aws.s3.BucketLifecycleConfiguration(
        name,
        { bucket: bucket.id, rules: [{ id: "expire-access-logs", status: "Enabled", filter: {}, expiration: { days: args.retentionDays } }] },
        { parent, dependsOn: [encryption] },
    );
    const elbAccount = aws.elb.getServiceAccountOutput({}, { parent });
    const account = aws.getCallerIdentityOutput({}, { parent });
    const policy = new aws.s3.BucketPolicy(
        name,
        {
            bucket: bucket.id,
            policy: pulumi.all([bucket.arn, elbAccount.arn, account.accountId]).apply(([b, e, a]) => accessLogsPolicy(b, e, accessLogObjects(b, args.prefixes, a))),
        },
        { parent, dependsOn: [lifecycle] },
    );
    return { bucket, policy };
}
