import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Who may write ALB access logs: the regional ELB account, and the log delivery service newer regions use. */
export function accessLogsPolicy(bucketArn: string, elbAccountArn: string): string {
    const objects = `${bucketArn}/AWSLogs/*`;
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            { Effect: "Allow", Principal: { AWS: elbAccountArn }, Action: "s3:PutObject", Resource: objects },
            { Effect: "Allow", Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" }, Action: "s3:PutObject", Resource: objects },
            { Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [bucketArn, `${bucketArn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } },
        ],
    });
}

/**
 * The bucket ALBs write access logs to: private, encrypted (ALBs can only write SSE-S3), TLS
 * only, and expiring logs after the retention period.
 */
export function createAccessLogsBucket(name: string, retentionDays: number, parent: pulumi.Resource): { bucket: aws.s3.Bucket; policy: aws.s3.BucketPolicy } {
    const bucket = new aws.s3.Bucket(name, { forceDestroy: false }, { parent });
    new aws.s3.BucketPublicAccessBlock(
        name,
        { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
        { parent },
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
        name,
        { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
        { parent },
    );
    new aws.s3.BucketLifecycleConfiguration(
        name,
        { bucket: bucket.id, rules: [{ id: "expire-access-logs", status: "Enabled", filter: {}, expiration: { days: retentionDays } }] },
        { parent },
    );
    const elbAccount = aws.elb.getServiceAccountOutput({}, { parent });
    const policy = new aws.s3.BucketPolicy(name, { bucket: bucket.id, policy: pulumi.all([bucket.arn, elbAccount.arn]).apply(([b, e]) => accessLogsPolicy(b, e)) }, { parent });
    return { bucket, policy };
}
