import * as aws from "@pulumi/aws";
import type { PlatformConfig } from "../config";
import { controllerTagKeys, strategySwitchProblems } from "./strategySwitch";

/** Where the update runs and what the account already holds: read once, before anything is created. */
export interface Deployment {
    /** The AWS account the stack deploys to. */
    readonly accountId: string;
    /** The IAM role running the update (the session's issuer), e.g. the CI role or an engineer's SSO role. */
    readonly callerRoleArn: string;
    /** False on the stack's first `up`: its EKS cluster does not exist yet. */
    readonly clusterExists: boolean;
    /** The tags of the target groups the load balancer controller made for the cluster's Ingresses; none before the cluster exists. */
    readonly targetGroupTags: readonly Record<string, string>[];
}

/** Looks the deployment up. Nothing the program builds depends on it: it only decides what to refuse. */
export async function lookupDeployment(provider: aws.Provider, clusterName: string): Promise<Deployment> {
    const identity = await aws.getCallerIdentity({}, { provider });
    const session = await aws.iam.getSessionContext({ arn: identity.arn }, { provider });
    const clusters = await aws.eks.getClusters({}, { provider });
    const clusterExists = clusters.names.includes(clusterName);
    return { accountId: identity.accountId, callerRoleArn: session.issuerArn, clusterExists, targetGroupTags: clusterExists ? await targetGroupTags(provider, clusterName) : [] };
}

/**
 * Every target group the controller tagged for this cluster (tag:GetResources; the provider pages
 * through all of them: terraform-provider-aws internal/service/resourcegroupstaggingapi/resources_data_source.go).
 */
async function targetGroupTags(provider: aws.Provider, clusterName: string): Promise<Record<string, string>[]> {
    const found = await aws.resourcegroupstaggingapi.getResources(
        { resourceTypeFilters: ["elasticloadbalancing:targetgroup"], tagFilters: [{ key: controllerTagKeys.cluster, values: [clusterName] }] },
        { provider },
    );
    return found.resourceTagMappingLists.map((mapping) => mapping.tags);
}

/** An IAM role by account and name: a role's path is not part of its identity (role names are unique per account). */
function roleIdentity(arn: string): string {
    const match = /^arn:[\w-]+:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(arn);
    return match ? `${match[1]}/${match[2]}` : arn;
}

/** The region and account of an ACM certificate ARN (`arn:aws:acm:<region>:<account>:certificate/<id>`). */
function certificateHome(arn: string): { region: string; account: string } {
    const [, , , region = "", account = ""] = arn.split(":");
    return { region, account };
}

/**
 * An ALB's HTTPS listener takes an ACM certificate of its own account and region only (the
 * controller passes `alb.ingress.kubernetes.io/certificate-arn` to the listener, v3.5.0
 * docs/guide/ingress/annotations.md#certificate-arn; Elastic Load Balancing,
 * create-https-listener.html#https-listener-certificates).
 */
function certificateProblems(config: PlatformConfig, deployment: Deployment): string[] {
    return config.services.flatMap((service, i) => {
        const arn = service.ingress.certificateArn;
        if (!service.ingress.enabled || arn === undefined) {
            return [];
        }
        const home = certificateHome(arn);
        const key = `services[${i}].ingress.certificateArn: ${JSON.stringify(arn)}`;
        if (home.region !== config.region) {
            return [`${key} is in ${home.region}; an ALB in ${config.region} takes certificates from ACM in ${config.region} only`];
        }
        if (home.account !== deployment.accountId) {
            return [`${key} is in account ${home.account}; an ALB takes certificates from ACM of its own account, ${deployment.accountId}`];
        }
        return [];
    });
}

/**
 * What a first `up` could not get past. The API of a new cluster without a public endpoint is
 * reachable only from inside its new VPC. And EKS makes the role creating the cluster an admin
 * itself, since pulumi-eks 4.3.0 always asks it to (nodejs/eks/cluster/cluster.ts,
 * `bootstrapClusterCreatorAdminPermissions: true`): an access entry for that role too would fail
 * with ResourceInUseException.
 */
function firstUpProblems(config: PlatformConfig, deployment: Deployment): string[] {
    if (deployment.clusterExists) {
        return [];
    }
    const problems: string[] = [];
    if (config.cluster.publicAccessCidrs.length === 0) {
        problems.push(
            "cluster.publicAccessCidrs: [] turns the public API endpoint off, and a new cluster's private one is reachable only from inside its new VPC, where nothing runs yet; list the CIDRs this update runs from (CI runners', VPN egress): pulumi config set --path 'cluster.publicAccessCidrs[0]' <cidr>",
        );
    }
    for (const key of ["adminRoleArns", "viewerRoleArns"] as const) {
        config.cluster[key].forEach((arn, i) => {
            if (roleIdentity(arn) === roleIdentity(deployment.callerRoleArn)) {
                problems.push(
                    `cluster.${key}[${i}]: ${JSON.stringify(arn)} is the role creating the cluster, which EKS makes admin itself; an access entry for it would fail. Remove it (it stays admin), or create the cluster from another role`,
                );
            }
        });
    }
    return problems;
}

/**
 * Why this deployment would fail halfway, one line per problem naming the key and its value;
 * empty when it can go ahead. A documentation certificate (AWS's example account 123456789012)
 * passes an offline render, whose fake account it matches, and stops a real one here.
 */
export function deploymentProblems(config: PlatformConfig, deployment: Deployment): string[] {
    return [...certificateProblems(config, deployment), ...firstUpProblems(config, deployment), ...strategySwitchProblems(config, deployment.targetGroupTags)];
}
