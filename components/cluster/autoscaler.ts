import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterSettings } from "../../config/sections/cluster";
import { createIrsaRole, type OidcProvider } from "./irsa";

/** The Cluster Autoscaler chart, pinned (the newest, 9.59.0: appVersion 1.35.0); the image follows the cluster's minor version. */
export const autoscalerChart = { chart: "cluster-autoscaler", version: "9.59.0", repo: "https://kubernetes.github.io/autoscaler" };

/**
 * The newest Cluster Autoscaler patch release of each supported Kubernetes minor: upstream
 * releases one per Kubernetes minor and asks that they match (kubernetes/autoscaler
 * cluster-autoscaler/README.md, "Releases"; tags cluster-autoscaler-1.35.2 and -1.36.1,
 * cluster-autoscaler/version/version.go).
 */
export const autoscalerImageTags: Record<ClusterSettings["version"], string> = { "1.35": "v1.35.2", "1.36": "v1.36.1" };

export const autoscalerAccount = { namespace: "kube-system", name: "cluster-autoscaler" };

/** The autoscaler may resize and shrink only the groups tagged as this cluster's. */
export function autoscalerPolicy(clusterName: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Action: [
                    "autoscaling:DescribeAutoScalingGroups",
                    "autoscaling:DescribeAutoScalingInstances",
                    "autoscaling:DescribeLaunchConfigurations",
                    "autoscaling:DescribeScalingActivities",
                    "autoscaling:DescribeTags",
                    "ec2:DescribeImages",
                    "ec2:DescribeInstanceTypes",
                    "ec2:DescribeLaunchTemplateVersions",
                    "ec2:GetInstanceTypesFromInstanceRequirements",
                    "eks:DescribeNodegroup",
                ],
                Resource: "*",
            },
            {
                Effect: "Allow",
                Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
                Resource: "*",
                Condition: { StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${clusterName}`]: "owned" } },
            },
        ],
    });
}

export interface AutoscalerArgs {
    readonly clusterName: pulumi.Input<string>;
    readonly settings: ClusterSettings;
    readonly region: string;
    readonly oidc: OidcProvider;
    readonly provider: k8s.Provider;
    readonly dependsOn: pulumi.Resource[];
}

/**
 * Cluster Autoscaler over the managed node groups: it finds them by the tags EKS puts on their
 * Auto Scaling groups, so a node group added to the config is scaled without further set-up.
 */
export function createAutoscaler(name: string, args: AutoscalerArgs, parent: pulumi.Resource): k8s.helm.v3.Release {
    const role = createIrsaRole(
        name,
        { oidc: args.oidc, account: autoscalerAccount, policy: pulumi.output(args.clusterName).apply(autoscalerPolicy) },
        parent,
    );
    return new k8s.helm.v3.Release(
        name,
        {
            chart: autoscalerChart.chart,
            version: autoscalerChart.version,
            repositoryOpts: { repo: autoscalerChart.repo },
            namespace: autoscalerAccount.namespace,
            atomic: true,
            values: {
                autoDiscovery: { clusterName: args.clusterName },
                awsRegion: args.region,
                image: { tag: autoscalerImageTags[args.settings.version] },
                rbac: { serviceAccount: { name: autoscalerAccount.name, annotations: { "eks.amazonaws.com/role-arn": role.arn } } },
                extraArgs: { "balance-similar-node-groups": true, expander: "least-waste", "skip-nodes-with-system-pods": false },
            },
        },
        { parent, provider: args.provider, dependsOn: [...args.dependsOn, ...role.permissions] },
    );
}
