import { formatBlock, parseBlock } from "../network/subnetPlan";

const tenSlashEight = parseBlock("10.0.0.0/8");

/**
 * The block Kubernetes Services take their ClusterIPs from, as EKS picks it when none is given:
 * 172.20.0.0/16 for a VPC inside 10.0.0.0/8, 10.100.0.0/16 otherwise (EKS API,
 * KubernetesNetworkConfigRequest.serviceIpv4Cidr). Naming it keeps existing clusters unchanged
 * and lets network policies name the API's ClusterIP.
 */
export function serviceCidrFor(vpcCidr: string): string {
    const vpc = parseBlock(vpcCidr);
    const insideTen = vpc.prefix >= tenSlashEight.prefix && Math.floor(vpc.address / 2 ** 24) === Math.floor(tenSlashEight.address / 2 ** 24);
    return insideTen ? "172.20.0.0/16" : "10.100.0.0/16";
}

/** The `default/kubernetes` Service's ClusterIP: the first address of the service block (kube-apiserver allocates it first). */
export function kubernetesApiClusterIp(serviceCidr: string): string {
    const block = parseBlock(serviceCidr);
    return formatBlock({ address: block.address + 1, prefix: 32 }).replace(/\/32$/, "");
}
