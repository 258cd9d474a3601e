import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";

/** The customer-managed key that envelope-encrypts Kubernetes Secrets in etcd; it rotates yearly. */
export function createSecretsKey(name: string, clusterName: string, parent: pulumi.Resource): aws.kms.Key {
    const key = new aws.kms.Key(
        name,
        { description: `Kubernetes Secrets of EKS cluster ${clusterName}`, enableKeyRotation: true, deletionWindowInDays: 30 },
        { parent },
    );
    new aws.kms.Alias(name, { name: `alias/${clusterName}-secrets`, targetKeyId: key.keyId }, { parent });
    return key;
}
