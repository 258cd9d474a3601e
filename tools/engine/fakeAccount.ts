/** The AWS account every render pretends to deploy into. */
export const fakeAccountId = "123456789012";

/** The role a render pretends to deploy as (what `aws sts get-caller-identity` would say). */
export const fakeDeployerRoleName = "platform-deployer";

/** Who deploys and what the account already holds, for renders of another caller or of a first `up`. */
export interface FakeAccountOptions {
    /** The IAM role the update runs as. Defaults to `platform-deployer`. */
    readonly callerRoleName?: string;
    /** Names of the EKS clusters already in the region. Defaults to the stack's own: an update of a deployed stack. */
    readonly clusters?: readonly string[];
    /** The stack cluster's node groups in EKS, by name, with the desired size the autoscaler last set. Defaults to none. */
    readonly nodeGroups?: Readonly<Record<string, number>>;
    /** ECR repositories already in the region, by name, with the tags each holds. Defaults to none: every build is a first push. */
    readonly registry?: Readonly<Record<string, readonly string[]>>;
    /** The target groups the load balancer controller made, e.g. `controllerTargetGroups` of an earlier render. Defaults to none. */
    readonly targetGroups?: readonly FakeTargetGroup[];
}

/** A target group in the fake account, as `tag:GetResources` lists it. */
export interface FakeTargetGroup {
    readonly arn: string;
    readonly tags: Readonly<Record<string, string>>;
}

/** The fake account one render runs against, every option resolved. */
export interface FakeAccount {
    readonly callerRoleName: string;
    readonly clusters: readonly string[];
    readonly nodeGroups: Readonly<Record<string, number>>;
    readonly registry: Readonly<Record<string, readonly string[]>>;
    readonly targetGroups: readonly FakeTargetGroup[];
}

/** The EKS cluster of a stack, named as components/naming.ts names it. */
export function fakeClusterName(project: string, stack: string): string {
    return `${project}-${stack}`;
}

/** The first `count` zone names of a region, as `aws.getAvailabilityZones` would list them. */
export function fakeZones(region: string, count = 3): string[] {
    return Array.from({ length: count }, (_, i) => `${region}${String.fromCharCode(97 + i)}`);
}

/** An ARN in the fake account for a resource of a Pulumi AWS type, e.g. `aws:ec2/vpc:Vpc`. */
export function fakeArn(type: string, id: string, region: string): string {
    const [, module = "", resource = ""] = /^aws:([^/]+)\/([^:]+):/.exec(type) ?? [];
    const service = module.split("/")[0];
    const global = service === "iam" || service === "s3";
    return `arn:aws:${service}:${global ? "" : region}:${service === "s3" ? "" : fakeAccountId}:${resource.toLowerCase()}/${id}`;
}
