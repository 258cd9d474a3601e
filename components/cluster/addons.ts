import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterSettings } from "../../config/sections/cluster";
import { createIrsaRole, type OidcProvider } from "./irsa";

/** Add-ons that need running nodes to become healthy; the rest are installed with the control plane. */
export const addonsNeedingNodes: ReadonlySet<string> = new Set(["coredns", "metrics-server"]);

/** The add-on version: the stack's pin, or the one EKS marks default for the Kubernetes version. */
export function addonVersion(addon: string, settings: ClusterSettings, parent: pulumi.Resource): pulumi.Input<string> {
    const pinned = settings.addonVersions[addon as keyof ClusterSettings["addonVersions"]];
    return pinned ?? aws.eks.getAddonVersionOutput({ addonName: addon, kubernetesVersion: settings.version, mostRecent: false }, { parent }).version;
}

/** The configuration each add-on runs with: vpc-cni enforces NetworkPolicy objects. */
export function addonConfiguration(addon: string): string | undefined {
    return addon === "vpc-cni" ? JSON.stringify({ enableNetworkPolicy: "true" }) : undefined;
}

export interface AddonsArgs {
    readonly settings: ClusterSettings;
    readonly clusterName: pulumi.Input<string>;
    readonly oidc: OidcProvider;
    /** What the add-ons that need nodes wait for. */
    readonly nodeGroups: pulumi.Resource[];
}

/**
 * The EKS managed add-ons, adopting the self-managed copies EKS bootstraps (OVERWRITE). The
 * VPC CNI gets its own IRSA role, so the nodes' role holds no network permissions.
 */
export function createAddons(name: string, args: AddonsArgs, parent: pulumi.Resource): Record<string, aws.eks.Addon> {
    const cniRole = createIrsaRole(
        `${name}-vpc-cni`,
        { oidc: args.oidc, account: { namespace: "kube-system", name: "aws-node" }, managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"] },
        parent,
    );
    const addons: Record<string, aws.eks.Addon> = {};
    for (const addon of ["vpc-cni", "kube-proxy", "eks-pod-identity-agent", "coredns", "metrics-server"]) {
        addons[addon] = new aws.eks.Addon(
            `${name}-${addon}`,
            {
                clusterName: args.clusterName,
                addonName: addon,
                addonVersion: addonVersion(addon, args.settings, parent),
                configurationValues: addonConfiguration(addon),
                serviceAccountRoleArn: addon === "vpc-cni" ? cniRole.arn : undefined,
                resolveConflictsOnCreate: "OVERWRITE",
                resolveConflictsOnUpdate: "OVERWRITE",
            },
            { parent, dependsOn: addonsNeedingNodes.has(addon) ? args.nodeGroups : [] },
        );
    }
    return addons;
}
