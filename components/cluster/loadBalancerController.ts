import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import policy from "./policies/awsLoadBalancerController.json";
import { createIrsaRole, type OidcProvider } from "./irsa";

/**
 * The chart of the AWS Load Balancer Controller, pinned: 3.5.0, the newest, installs controller
 * v3.5.0 (its Chart.yaml `appVersion`, the image tag the chart defaults to). Its IAM policy is the one
 * this version documents (docs/install/iam_policy.json), and every controller behaviour the services
 * rely on is cited at this version.
 */
export const loadBalancerControllerChart = {
    chart: "aws-load-balancer-controller",
    version: "3.5.0",
    appVersion: "v3.5.0",
    repo: "https://aws.github.io/eks-charts",
};

export const loadBalancerControllerAccount = { namespace: "kube-system", name: "aws-load-balancer-controller" };

export interface LoadBalancerControllerArgs {
    readonly clusterName: pulumi.Input<string>;
    readonly region: string;
    readonly vpcId: pulumi.Input<string>;
    readonly oidc: OidcProvider;
    readonly provider: k8s.Provider;
    /** What must exist before the controller's pods can run (nodes, pod networking). */
    readonly dependsOn: pulumi.Resource[];
}

/** The controller that turns Ingress objects into ALBs, with an IRSA role only its service account can assume. */
export function createLoadBalancerController(name: string, args: LoadBalancerControllerArgs, parent: pulumi.Resource): k8s.helm.v3.Release {
    const role = createIrsaRole(name, { oidc: args.oidc, account: loadBalancerControllerAccount, policy: JSON.stringify(policy) }, parent);
    return new k8s.helm.v3.Release(
        name,
        {
            chart: loadBalancerControllerChart.chart,
            version: loadBalancerControllerChart.version,
            repositoryOpts: { repo: loadBalancerControllerChart.repo },
            namespace: loadBalancerControllerAccount.namespace,
            atomic: true,
            values: {
                clusterName: args.clusterName,
                region: args.region,
                vpcId: args.vpcId,
                replicaCount: 2,
                // A node drain keeps one controller, and so its webhooks, serving (chart templates/pdb.yaml).
                podDisruptionBudget: { maxUnavailable: 1 },
                // Nothing here makes LoadBalancer Services; the webhook would otherwise intercept, with
                // failurePolicy Fail, every Service created in the cluster (chart values.yaml, enableServiceMutatorWebhook).
                enableServiceMutatorWebhook: false,
                // A pod of a workload namespace is created only with its ALB readiness gates; the chart's
                // `Ignore` would let it start without them while the controller is down (docs/cluster.md, "webhooks").
                podMutatorWebhookConfig: { failurePolicy: "Fail" },
                // An upgrade keeps the webhooks' certificate: with the chart's default (false) each upgrade issues a new
                // CA, which the API server trusts before the pods serve its certificate (templates/_helpers.tpl, webhookCerts).
                keepTLSSecret: true,
                serviceAccount: {
                    create: true,
                    name: loadBalancerControllerAccount.name,
                    annotations: { "eks.amazonaws.com/role-arn": role.arn },
                },
            },
        },
        { parent, provider: args.provider, dependsOn: [...args.dependsOn, ...role.permissions] },
    );
}
