import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Profile } from "../../config";
import type { ClusterSettings } from "../../config/sections/cluster";
import { createContainerLogs } from "../observability/containerLogs";
import { accessEntries } from "./accessEntries";
import { addonVersion, createNodeAddons, createWorkloadAddons } from "./addons";
import { createAutoscaler } from "./autoscaler";
import type { OidcProvider } from "./irsa";
import { createLoadBalancerController } from "./loadBalancerController";
import { createNamespaces } from "./namespaces";
import { createNodeGroup, lookupCurrentSizes, placeNodeGroup, type ZoneSubnet } from "./nodeGroup";
import { createNodeRole } from "./nodeRole";
import { createSecretsKey } from "./secretsKey";
import { serviceCidrFor } from "./serviceNetwork";

export interface ClusterArgs {
    /** The cluster section of the stack config. */
    readonly settings: ClusterSettings;
    /** `production` turns on EKS deletion protection and leaves the log groups behind on destroy. */
    readonly profile: Profile;
    /** The EKS cluster's name (see `clusterName`): the subnets are tagged for it. */
    readonly name: string;
    readonly region: string;
    readonly vpcId: pulumi.Input<string>;
    /** The VPC's block: the Kubernetes Service block is chosen not to overlap it. */
    readonly vpcCidr: string;
    /** Where the nodes and the control plane's network interfaces go: one private subnet per zone. */
    readonly privateSubnets: readonly ZoneSubnet[];
    /** Days CloudWatch keeps the control-plane and container logs. */
    readonly logRetentionDays: number;
    /** Namespaces created for the workloads, with the stack's Pod Security level. */
    readonly workloadNamespaces: readonly string[];
    /** False on the stack's first `up`: nothing to look up (node groups' current sizes). */
    readonly exists: boolean;
}

/**
 * EKS with managed node groups and the add-ons a platform needs: secrets encrypted with a
 * rotating key, access entries, IRSA, the VPC CNI with network policies, metrics-server, the
 * AWS Load Balancer Controller and the Cluster Autoscaler. Every Kubernetes object of the stack
 * goes through `provider`, built from this cluster's kubeconfig.
 */
export class Cluster extends pulumi.ComponentResource {
    /** The Kubernetes provider for this cluster; never the ambient kubeconfig. */
    readonly provider: k8s.Provider;
    /** Kubeconfig for the cluster (authenticates with `aws eks get-token`), as a secret. */
    readonly kubeconfig: pulumi.Output<string>;
    readonly clusterName: pulumi.Output<string>;
    /** The security group EKS puts on managed nodes: the database admits it. */
    readonly nodeSecurityGroupId: pulumi.Output<string>;
    readonly oidcProviderArn: pulumi.Output<string>;
    readonly oidcProviderUrl: pulumi.Output<string>;
    /** Workload namespace names, resolved once each namespace exists. */
    readonly namespaces: Record<string, pulumi.Output<string>>;
    /** What an Ingress or an HPA waits for: the load balancer controller's webhook and metrics-server. */
    readonly workloadPrerequisites: pulumi.Resource[];

    constructor(name: string, args: ClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:cluster:Cluster", name, {}, opts);
        const { settings } = args;
        // Named on the remote component rather than left to inheritance: pulumi-eks 4.3.0 builds its
        // children with `{ parent, provider: opts?.provider }` (nodejs/eks/cluster/cluster.ts, createCore),
        // and Pulumi.yaml disables the default AWS provider.
        const awsProvider = this.getProvider("aws:eks/cluster:Cluster");
        const key = createSecretsKey(`${name}-secrets`, args.name, this);
        const production = args.profile === "production";
        // EKS writes to this name; creating it first gives it a retention instead of "never expire".
        // Production keeps it on destroy: the audit log outlives the cluster.
        const controlPlaneLogs = new aws.cloudwatch.LogGroup(
            `${name}-control-plane`,
            { name: `/aws/eks/${args.name}/cluster`, retentionInDays: args.logRetentionDays },
            { parent: this, retainOnDelete: production },
        );

        const cluster = new eks.Cluster(
            name,
            {
                name: args.name,
                version: settings.version,
                vpcId: args.vpcId,
                privateSubnetIds: args.privateSubnets.map((s) => s.subnetId),
                kubernetesServiceIpAddressRange: serviceCidrFor(args.vpcCidr),
                // Standard support only: left unset, pulumi-eks 4.3.0 documents EXTENDED, paid from a version's end date.
                upgradePolicy: { supportType: "STANDARD" },
                authenticationMode: "API",
                accessEntries: accessEntries(settings),
                // Set, so the internal kubeconfig never carries the caller's AWS_PROFILE (pulumi-eks 4.3.0
                // nodejs/eks/cluster/cluster.ts, createCluster): every caller plans the same cluster.
                providerCredentialOpts: {},
                endpointPrivateAccess: true,
                endpointPublicAccess: settings.publicAccessCidrs.length > 0,
                publicAccessCidrs: settings.publicAccessCidrs.length > 0 ? settings.publicAccessCidrs : undefined,
                enabledClusterLogTypes: settings.logTypes,
                encryptionConfigKeyArn: key.arn,
                createOidcProvider: true,
                skipDefaultNodeGroup: true,
                skipDefaultSecurityGroups: true,
                nodeAssociatePublicIpAddress: false,
                deletionProtection: production,
                // The add-ons are this component's own resources, pinned and visible in previews.
                useDefaultVpcCni: true,
                corednsAddonOptions: { enabled: false },
                kubeProxyAddonOptions: { enabled: false },
            },
            { parent: this, dependsOn: [controlPlaneLogs], providers: awsProvider ? { aws: awsProvider } : undefined },
        );
        this.clusterName = cluster.eksCluster.name;
        const oidc: OidcProvider = { arn: cluster.oidcProviderArn, url: cluster.oidcProviderUrl };

        const nodeAddons = createNodeAddons(`${name}-addon`, { settings, clusterName: this.clusterName, oidc }, this);
        const nodeRole = createNodeRole(`${name}-nodes`, this);
        const currentSizes = args.exists ? lookupCurrentSizes(args.name, this) : {};
        const nodeGroups = settings.nodeGroups.flatMap((group) =>
            placeNodeGroup(group, args.privateSubnets, settings.nodeGroupPerZone).map((placement) =>
                createNodeGroup(
                    `${name}-${placement.key}`,
                    {
                        settings: group,
                        placement,
                        clusterName: this.clusterName,
                        version: settings.version,
                        nodeRoleArn: nodeRole.arn,
                        imdsHopLimit: settings.imdsHopLimit,
                        dependsOn: [...nodeRole.permissions, nodeAddons["vpc-cni"]],
                        currentSizes,
                    },
                    this,
                ),
            ),
        );
        const workloadAddons = createWorkloadAddons(`${name}-addon`, { settings, clusterName: this.clusterName, nodeGroups }, this);
        createContainerLogs(
            `${name}-container-logs`,
            {
                clusterName: args.name,
                clusterNameOutput: this.clusterName,
                oidc,
                retentionDays: args.logRetentionDays,
                keepOnDestroy: production,
                version: addonVersion("amazon-cloudwatch-observability", settings),
                nodeGroups,
            },
            this,
        );

        this.provider = new k8s.Provider(name, { kubeconfig: cluster.kubeconfigJson, enableServerSideApply: true }, { parent: this });
        const running = [...nodeGroups, nodeAddons["vpc-cni"], workloadAddons.coredns];
        const loadBalancerController = createLoadBalancerController(
            `${name}-load-balancer-controller`,
            { clusterName: this.clusterName, region: args.region, vpcId: args.vpcId, oidc, provider: this.provider, dependsOn: running },
            this,
        );
        createAutoscaler(
            `${name}-autoscaler`,
            { clusterName: this.clusterName, settings, region: args.region, oidc, provider: this.provider, dependsOn: running },
            this,
        );
        const namespaces = createNamespaces(args.workloadNamespaces, settings.podSecurity, this.provider, this);

        this.kubeconfig = pulumi.secret(cluster.kubeconfigJson);
        this.nodeSecurityGroupId = cluster.nodeSecurityGroupId;
        this.oidcProviderArn = cluster.oidcProviderArn;
        this.oidcProviderUrl = cluster.oidcProviderUrl;
        this.namespaces = Object.fromEntries(Object.entries(namespaces).map(([n, ns]) => [n, ns.metadata.name]));
        this.workloadPrerequisites = [loadBalancerController, workloadAddons["metrics-server"]];
        this.registerOutputs({ clusterName: this.clusterName, kubeconfig: this.kubeconfig, nodeSecurityGroupId: this.nodeSecurityGroupId });
    }
}
