import type { LaunchTemplateArgs } from "@pulumi/aws/ec2/launchTemplate";
import type { ClusterArgs as AwsClusterArgs } from "@pulumi/aws/eks/cluster";
import type { NodeGroupArgs as AwsNodeGroupArgs } from "@pulumi/aws/eks/nodeGroup";
import type { ClusterArgs } from "@pulumi/eks/cluster";
import type { ManagedNodeGroupArgs } from "@pulumi/eks/managedNodeGroup";
import { itemsOf, shapeOf, textOf } from "./shapes";
import type { PerProfile, ResourceRule, ReviewedResource } from "./types";

/** The `@pulumi/eks` component: all the offline render sees of a cluster. */
const eksCluster = "eks:index:Cluster";
/** The EKS control plane itself: the component's child, seen under the real engine. */
const awsCluster = "aws:eks/cluster:Cluster";
const eksManagedNodeGroup = "eks:index:ManagedNodeGroup";
const awsNodeGroup = "aws:eks/nodeGroup:NodeGroup";
const launchTemplate = "aws:ec2/launchTemplate:LaunchTemplate";

/** Every control-plane log type EKS can ship to CloudWatch. */
export const controlPlaneLogTypes = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

/** The control-plane logs each profile must ship: who did what in dev, everything in production. */
export const requiredLogTypes: PerProfile<readonly string[]> = { dev: ["audit"], production: controlPlaneLogTypes };

/** CIDRs that mean "anyone on the internet". */
const everywhere = new Set(["0.0.0.0/0", "::/0"]);

/** The settings shared by the component and the control-plane resource, read from whichever this is. */
interface ControlPlane {
    secretsKeyArn: string;
    logTypes: readonly string[];
    privateAccess: boolean;
    publicAccess: boolean;
    /** Undefined when not given: EKS then admits 0.0.0.0/0. */
    publicAccessCidrs?: readonly string[];
}

function controlPlaneOf(resource: ReviewedResource): ControlPlane {
    if (resource.type === eksCluster) {
        const cluster = shapeOf<ClusterArgs>(resource);
        return {
            secretsKeyArn: textOf(cluster.encryptionConfigKeyArn),
            logTypes: itemsOf(cluster.enabledClusterLogTypes),
            privateAccess: cluster.endpointPrivateAccess === true,
            publicAccess: cluster.endpointPublicAccess !== false,
            publicAccessCidrs: cluster.publicAccessCidrs,
        };
    }
    const cluster = shapeOf<AwsClusterArgs>(resource);
    const encryption = cluster.encryptionConfig;
    const encryptsSecrets = itemsOf(encryption?.resources).includes("secrets");
    return {
        secretsKeyArn: encryptsSecrets ? textOf(encryption?.provider?.keyArn) : "",
        logTypes: itemsOf(cluster.enabledClusterLogTypes),
        privateAccess: cluster.vpcConfig?.endpointPrivateAccess === true,
        publicAccess: cluster.vpcConfig?.endpointPublicAccess !== false,
        publicAccessCidrs: cluster.vpcConfig?.publicAccessCidrs,
    };
}

export const eksSecretsEncryption: ResourceRule = {
    kind: "resource",
    name: "eks-secrets-encryption",
    description: "Kubernetes Secrets are envelope-encrypted in etcd with a customer-managed KMS key.",
    enforcement: { dev: "mandatory", production: "mandatory" },
    resourceTypes: [eksCluster, awsCluster],
    check: (resource) =>
        controlPlaneOf(resource).secretsKeyArn === ""
            ? [
                  resource.type === eksCluster
                      ? "encryptionConfigKeyArn is not set: Kubernetes Secrets are stored in etcd without envelope encryption"
                      : "encryptionConfig does not encrypt \"secrets\" with a KMS key: Kubernetes Secrets are stored in etcd without envelope encryption",
              ]
            : [],
};

export const eksControlPlaneLogging: ResourceRule = {
    kind: "resource",
    name: "eks-control-plane-logging",
    description: `The control plane ships its logs to CloudWatch: ${requiredLogTypes.dev.join(", ")} in dev, all five types in production.`,
    enforcement: { dev: "mandatory", production: "mandatory" },
    resourceTypes: [eksCluster, awsCluster],
    check: (resource, profile) => {
        const enabled = new Set(controlPlaneOf(resource).logTypes);
        const missing = requiredLogTypes[profile].filter((type) => !enabled.has(type));
        return missing.length === 0
            ? []
            : [`enabledClusterLogTypes lacks ${missing.join(", ")}: a ${profile} cluster ships ${requiredLogTypes[profile].join(", ")}`];
    },
};

export const eksEndpointRestricted: ResourceRule = {
    kind: "resource",
    name: "eks-endpoint-restricted",
    description: "The Kubernetes API is reachable privately from the VPC and publicly only from listed CIDRs, never 0.0.0.0/0.",
    enforcement: { dev: "advisory", production: "mandatory" },
    resourceTypes: [eksCluster, awsCluster],
    check: (resource) => {
        const plane = controlPlaneOf(resource);
        const problems: string[] = [];
        if (!plane.privateAccess) {
            problems.push("endpointPrivateAccess is not true: nodes and operators inside the VPC reach the API over the internet");
        }
        if (plane.publicAccess) {
            const listed = itemsOf(plane.publicAccessCidrs);
            const open = listed.length === 0 ? ["0.0.0.0/0 (no publicAccessCidrs)"] : listed.filter((cidr) => everywhere.has(cidr));
            if (open.length > 0) {
                problems.push(`the public API endpoint admits ${open.join(" and ")}: list the CIDRs that need it in publicAccessCidrs, or turn public access off`);
            }
        }
        return problems;
    },
};

function launchTemplateRequiresTokens(resource: ReviewedResource): boolean {
    const options = shapeOf<LaunchTemplateArgs>(resource).metadataOptions;
    return options?.httpTokens === "required" || options?.httpEndpoint === "disabled";
}

export const eksNodesImdsv2: ResourceRule = {
    kind: "resource",
    name: "eks-nodes-imdsv2",
    description: "Nodes require IMDSv2 session tokens, so a request forged through a pod cannot read the node's credentials.",
    enforcement: { dev: "advisory", production: "mandatory" },
    resourceTypes: [eksCluster, eksManagedNodeGroup, awsNodeGroup, launchTemplate],
    check: (resource) => {
        switch (resource.type) {
            case eksCluster: {
                const cluster = shapeOf<ClusterArgs>(resource);
                return cluster.skipDefaultNodeGroup === true || cluster.fargate
                    ? []
                    : ["skipDefaultNodeGroup is not true: the cluster adds a self-managed default node group that allows IMDSv1; declare managed node groups instead"];
            }
            case eksManagedNodeGroup: {
                const group = shapeOf<ManagedNodeGroupArgs>(resource);
                return group.enableIMDSv2 === true || group.launchTemplate
                    ? []
                    : ["neither enableIMDSv2 nor a launchTemplate requiring tokens is set: the nodes answer IMDSv1 requests"];
            }
            case awsNodeGroup:
                return shapeOf<AwsNodeGroupArgs>(resource).launchTemplate
                    ? []
                    : ["launchTemplate is not set: the EKS default template lets the nodes answer IMDSv1 requests"];
            default:
                return launchTemplateRequiresTokens(resource)
                    ? []
                    : ["metadataOptions.httpTokens is not \"required\": instances from this template answer IMDSv1 requests"];
        }
    },
};

export const ec2ImdsHopLimit: ResourceRule = {
    kind: "resource",
    name: "ec2-imds-hop-limit",
    description: "The metadata service answers only the node itself (hop limit 1), not the pods behind it.",
    enforcement: { dev: "advisory", production: "advisory" },
    resourceTypes: [eksManagedNodeGroup, launchTemplate],
    check: (resource) => {
        if (resource.type === eksManagedNodeGroup) {
            return shapeOf<ManagedNodeGroupArgs>(resource).enableIMDSv2 === true
                ? ["enableIMDSv2 makes @pulumi/eks set a hop limit of 2: pods reach the node's credentials; use a launch template with httpPutResponseHopLimit 1"]
                : [];
        }
        const limit = shapeOf<LaunchTemplateArgs>(resource).metadataOptions?.httpPutResponseHopLimit;
        return limit === 1 ? [] : [`metadataOptions.httpPutResponseHopLimit is ${limit ?? "not set"}: pods can reach the node's credentials; set it to 1`];
    },
};

export const clusterRules: readonly ResourceRule[] = [
    eksSecretsEncryption,
    eksControlPlaneLogging,
    eksEndpointRestricted,
    eksNodesImdsv2,
    ec2ImdsHopLimit,
];
