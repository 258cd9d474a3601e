import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { ServiceSettings } from "../../config/sections/services";
import { serviceLabels } from "./labels";
import { reachesVpcHttps } from "./serviceAccount";

/** Nothing in or out of the namespace unless a policy admits it. */
export const defaultDenySpec: k8s.types.input.networking.v1.NetworkPolicySpec = { podSelector: {}, policyTypes: ["Ingress", "Egress"] };

export interface Reachable {
    /** The VPC's block: the ALB, in the public subnets, sends from it (target type ip). */
    readonly vpcCidr: pulumi.Input<string>;
    /** The database's subnets, reached on 5432. */
    readonly databaseCidrs: pulumi.Input<string>[];
}

/** What the service's pods may do: take traffic on their port from the VPC, resolve names, reach the database, AWS or the API when their ServiceAccount uses them, and what config adds. */
export function allowSpec(settings: ServiceSettings, reachable: Reachable): k8s.types.input.networking.v1.NetworkPolicySpec {
    const dns = {
        to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
        ports: [{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }],
    };
    const database = reachable.databaseCidrs.length > 0 ? [{ to: reachable.databaseCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [{ protocol: "TCP", port: 5432 }] }] : [];
    // The STS interface endpoint (IRSA) and the cluster's API endpoints sit in the VPC's subnets.
    const vpcHttps = reachesVpcHttps(settings) ? [{ to: [{ ipBlock: { cidr: reachable.vpcCidr } }], ports: [{ protocol: "TCP", port: 443 }] }] : [];
    const extra = settings.egress.map((rule) => ({ to: [{ ipBlock: { cidr: rule.cidr } }], ports: [{ protocol: "TCP", port: rule.port }] }));
    return {
        podSelector: { matchLabels: { "app.kubernetes.io/name": serviceLabels(settings.name)["app.kubernetes.io/name"] } },
        policyTypes: ["Ingress", "Egress"],
        ingress: [{ from: [{ ipBlock: { cidr: reachable.vpcCidr } }], ports: [{ protocol: "TCP", port: settings.port }] }],
        egress: [dns, ...database, ...vpcHttps, ...extra],
    };
}
