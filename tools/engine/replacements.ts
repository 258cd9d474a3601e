/**
 * Input paths whose change makes the provider replace the resource rather than update it,
 * for the types this program uses. The offline diff flags these so a reviewer sees a
 * replacement before `pulumi preview` does. Extend it when a component adds a type.
 */
export const replacingPaths: Record<string, string[]> = {
    "kubernetes:apps/v1:Deployment": ["spec.selector"],
    "kubernetes:apps/v1:StatefulSet": ["spec.selector", "spec.serviceName", "spec.volumeClaimTemplates"],
    "kubernetes:core/v1:Service": ["spec.clusterIP"],
    "kubernetes:batch/v1:Job": ["spec.template", "spec.selector"],
    "aws:ec2/vpc:Vpc": ["cidrBlock"],
    "aws:ec2/subnet:Subnet": ["cidrBlock", "availabilityZone", "vpcId"],
    "aws:rds/instance:Instance": ["identifier", "dbName", "username", "storageEncrypted", "kmsKeyId", "availabilityZone"],
    "aws:eks/cluster:Cluster": ["name", "vpcConfig.subnetIds", "encryptionConfig"],
    "aws:ecr/repository:Repository": ["name", "encryptionConfigurations"],
    "aws:ecr/lifecyclePolicy:LifecyclePolicy": ["repository"],
    "aws:kms/key:Key": ["customerMasterKeySpec", "keyUsage"],
    // Every argument of the random provider's resources requires replacement: a new value is generated.
    "random:index/randomPassword:RandomPassword": ["keepers", "length", "special", "overrideSpecial", "minSpecial"],
};

/** True when a change at `path` of a resource of `type` replaces it. */
export function replaces(type: string, path: string, replaceOnChanges: readonly string[] = []): boolean {
    const kubernetesIdentity = type.startsWith("kubernetes:") && /^inputs\.metadata\.(name|namespace)$/.test(path);
    const prefixes = [...(replacingPaths[type] ?? []), ...replaceOnChanges].map((p) => `inputs.${p}`);
    return kubernetesIdentity || prefixes.some((prefix) => path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`));
}
