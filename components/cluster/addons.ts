import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { ClusterSettings } from "../../config/sections/cluster";
import { createIrsaRole, type OidcProvider } from "./irsa";

/** Add-ons every node runs (DaemonSets): installed before the nodes, which become Ready only with pod networking. */
export const nodeAddons = ["vpc-cni", "kube-proxy", "eks-pod-identity-agent"] as const;

/** Add-ons that run as Deployments: healthy only once nodes run them. */
export const workloadAddons = ["coredns", "metrics-server"] as const;

type ManagedAddon = keyof ClusterSettings["addonVersions"];

/**
 * The add-on version: the stack's pin, or none. `addon_version` is Optional and Computed in the
 * provider (terraform-provider-aws internal/service/eks/addon.go): left out, EKS installs its
 * default at creation and the state keeps that version, where a `getAddonVersion` lookup would
 * resolve anew, and move the add-on, at every preview.
 */
export function addonVersion(addon: ManagedAddon, settings: ClusterSettings): string | undefined {
    return settings.addonVersions[addon];
}

/** The configuration each add-on runs with: vpc-cni enforces NetworkPolicy objects. */
export function addonConfiguration(addon: string): string | undefined {
    return addon === "vpc-cni" ? JSON.stringify({ enableNetworkPolicy: "true" }) : undefined;
}

interface AddonArgs {
    readonly settings: ClusterSettings;
    readonly clusterName: pulumi.Input<string>;
}

/** One EKS managed add-on, adopting the self-managed copy EKS bootstrapped (OVERWRITE). */
function createAddon(
    name: string,
    addon: ManagedAddon,
    args: AddonArgs & { serviceAccountRoleArn?: pulumi.Input<string> },
    opts: pulumi.CustomResourceOptions,
): aws.eks.Addon {
    return new aws.eks.Addon(
        `${name}-${addon}`,
        {
            clusterName: args.clusterName,
            addonName: addon,
            addonVersion: addonVersion(addon, args.settings),
            configurationValues: addonConfiguration(addon),
            serviceAccountRoleArn: args.serviceAccountRoleArn,
            resolveConflictsOnCreate: "OVERWRITE",
            resolveConflictsOnUpdate: "OVERWRITE",
        },
        opts,
    );
}

/**
 * The add-ons the nodes need to become Ready. The VPC CNI gets its own IRSA role, so the nodes'
 * role holds no network permissions; the add-on waits for the role's policy.
 */
export function createNodeAddons(name: string, args: AddonArgs & { oidc: OidcProvider }, parent: pulumi.Resource): Record<(typeof nodeAddons)[number], aws.eks.Addon> {
    const cniRole = createIrsaRole(
        `${name}-vpc-cni`,
        { oidc: args.oidc, account: { namespace: "kube-system", name: "aws-node" }, managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"] },
        parent,
    );
    return {
        "vpc-cni": createAddon(name, "vpc-cni", { ...args, serviceAccountRoleArn: cniRole.arn }, { parent, dependsOn: cniRole.permissions }),
        "kube-proxy": createAddon(name, "kube-proxy", args, { parent }),
        "eks-pod-identity-agent": createAddon(name, "eks-pod-identity-agent", args, { parent }),
    };
}

/** The add-ons that run on nodes: they wait for the node groups. */
export function createWorkloadAddons(
    name: string,
    args: AddonArgs & { nodeGroups: pulumi.Resource[] },
    parent: pulumi.Resource,
): Record<(typeof workloadAddons)[number], aws.eks.Addon> {
    return {
        coredns: createAddon(name, "coredns", args, { parent, dependsOn: args.nodeGroups }),
        "metrics-server": createAddon(name, "metrics-server", args, { parent, dependsOn: args.nodeGroups }),
    };
}
