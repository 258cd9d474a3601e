import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { ServiceSettings } from "../../config/sections/services";
import { kubernetesApiClusterIp } from "../cluster/serviceNetwork";
import { serviceLabels } from "./labels";

/** Nothing in or out of the namespace unless a policy admits it. */
export const defaultDenySpec: k8s.types.input.networking.v1.NetworkPolicySpec = { podSelector: {}, policyTypes: ["Ingress", "Egress"] };

/** Where a service's pods take traffic from, and where the AWS and Kubernetes APIs answer them. */
export interface PodNetwork {
    /** The public subnets' blocks: the internet-facing ALB sends from them (target type ip). */
    readonly loadBalancerCidrs: pulumi.Input<string>[];
    /** Where STS answers IRSA: its interface endpoint in the private subnets, or anywhere through the NAT without one. */
    readonly awsApiCidrs: pulumi.Input<string>[];
    /** The `kubernetes` Service's ClusterIP, and the private subnets where the control plane's network interfaces answer behind it. */
    readonly kubernetesApiCidrs: pulumi.Input<string>[];
}

/** What the stack's network means for pods, from the subnets' blocks, the endpoints and the cluster's service block. */
export function podNetwork(args: { publicCidrs: string[]; privateCidrs: string[]; stsEndpoint: boolean; serviceCidr: string }): PodNetwork {
    return {
        loadBalancerCidrs: args.publicCidrs,
        awsApiCidrs: args.stsEndpoint ? args.privateCidrs : ["0.0.0.0/0"],
        // The VPC CNI's policy agent matches the ClusterIP a pod dials and adds none for the selector-less
        // `kubernetes` Service (aws/amazon-network-policy-controller-k8s resolves ClusterIPs from pod selectors).
        kubernetesApiCidrs: [`${kubernetesApiClusterIp(args.serviceCidr)}/32`, ...args.privateCidrs],
    };
}

export interface Reachable extends PodNetwork {
    /** The database's subnets, reached on 5432. */
    readonly databaseCidrs: pulumi.Input<string>[];
}

const https = (cidrs: pulumi.Input<string>[]) => ({ to: cidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [{ protocol: "TCP", port: 443 }] });

/**
 * The container port's name, not its number, in the ingress rule: a `port` change rolls every
 * color while the old pods still listen on the old number. The VPC CNI's policy controller, which
 * EKS runs on the control plane, resolves a named port of an ipBlock rule against the containers
 * of every pod the policy selects and admits the union (aws/amazon-network-policy-controller-k8s
 * pkg/resolvers/endpoints.go, resolveIngressPorts / getIngressRulesPorts; since v1.0.8, #92), so
 * old and new pods are both reachable from the ALB until the old ones are gone.
 */
export const servicePortName = "http";

/**
 * What the service's pods may do: take traffic on their port from the load balancers' subnets
 * (the kubelet's probes come from the node, which the VPC CNI's policy agent always admits:
 * aws/aws-network-policy-agent#65), resolve names, reach the database, STS or the Kubernetes API
 * when their ServiceAccount uses them, and what config adds.
 */
export function allowSpec(settings: ServiceSettings, reachable: Reachable): k8s.types.input.networking.v1.NetworkPolicySpec {
    const dns = {
        to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
        ports: [{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }],
    };
    const database = reachable.databaseCidrs.length > 0 ? [{ to: reachable.databaseCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [{ protocol: "TCP", port: 5432 }] }] : [];
    const aws = settings.serviceAccount.iamRoleArn !== undefined ? [https(reachable.awsApiCidrs)] : [];
    const kubernetesApi = settings.serviceAccount.kubernetesApi ? [https(reachable.kubernetesApiCidrs)] : [];
    const extra = settings.egress.map((rule) => ({ to: [{ ipBlock: { cidr: rule.cidr } }], ports: [{ protocol: "TCP", port: rule.port }] }));
    return {
        podSelector: { matchLabels: { "app.kubernetes.io/name": serviceLabels(settings.name)["app.kubernetes.io/name"] } },
        policyTypes: ["Ingress", "Egress"],
        ingress: [{ from: reachable.loadBalancerCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [{ protocol: "TCP", port: servicePortName }] }],
        egress: [dns, ...database, ...aws, ...kubernetesApi, ...extra],
    };
}
