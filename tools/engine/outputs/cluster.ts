import { fakeAccountId } from "../fakeAccount";
import type { OutputSynthesizer } from "./types";

/** A kubeconfig as `@pulumi/eks` writes it: token from `aws eks get-token`, never a static credential. */
function fakeKubeconfig(clusterName: string, region: string) {
    return {
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: clusterName, cluster: { server: `https://${clusterName}.gr7.${region}.eks.amazonaws.com`, "certificate-authority-data": "cmVuZGVy" } }],
        contexts: [{ name: clusterName, context: { cluster: clusterName, user: clusterName } }],
        "current-context": clusterName,
        users: [
            {
                name: clusterName,
                user: {
                    exec: {
                        apiVersion: "client.authentication.k8s.io/v1beta1",
                        command: "aws",
                        args: ["eks", "get-token", "--cluster-name", clusterName, "--region", region],
                    },
                },
            },
        ],
    };
}

/** Outputs of the cluster resources the program reads back, as the fake cloud reports them. */
export const clusterOutputs: Record<string, OutputSynthesizer> = {
    "eks:index:Cluster": (name, inputs, region) => {
        const clusterName = inputs.name ?? name;
        const issuer = `oidc.eks.${region}.amazonaws.com/id/${clusterName.toUpperCase().replace(/[^A-Z0-9]/g, "")}`;
        const kubeconfig = fakeKubeconfig(clusterName, region);
        return {
            kubeconfig,
            kubeconfigJson: JSON.stringify(kubeconfig),
            oidcProviderArn: `arn:aws:iam::${fakeAccountId}:oidc-provider/${issuer}`,
            oidcProviderUrl: `https://${issuer}`,
            oidcIssuer: issuer,
            clusterSecurityGroupId: `sg-${clusterName}-eks-cluster`,
            nodeSecurityGroupId: `sg-${clusterName}-eks-cluster`,
            eksCluster: { name: clusterName, arn: `arn:aws:eks:${region}:${fakeAccountId}:cluster/${clusterName}`, version: inputs.version },
        };
    },
    "aws:ec2/launchTemplate:LaunchTemplate": () => ({ latestVersion: 1 }),
};
