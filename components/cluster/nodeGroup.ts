import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { NodeGroupSettings } from "../../config/sections/cluster";

/** A private subnet and the zone it is in. */
export interface ZoneSubnet {
    readonly zone: string;
    readonly subnetId: pulumi.Input<string>;
}

/** One EKS node group a configured group becomes: where it runs and how far it scales. */
export interface NodeGroupPlacement {
    /** Unique in the stack: the group's name, and its zone when there is one per zone. */
    readonly key: string;
    readonly subnetIds: pulumi.Input<string>[];
    readonly minSize: number;
    readonly desiredSize: number;
    readonly maxSize: number;
}

/**
 * Where a configured node group runs: one EKS node group over every zone, or one per zone with
 * the sizes split evenly (config checks they divide). A node group per zone lets the Cluster
 * Autoscaler add a node in the zone a pending pod needs; a group spanning zones gets its node
 * wherever the Auto Scaling group picks (kubernetes/autoscaler cluster-autoscaler/FAQ.md, "use
 * separate node groups per zone"; --balance-similar-node-groups keeps them even).
 */
export function placeNodeGroup(group: NodeGroupSettings, subnets: readonly ZoneSubnet[], perZone: boolean): NodeGroupPlacement[] {
    if (!perZone) {
        return [{ key: group.name, subnetIds: subnets.map((s) => s.subnetId), minSize: group.minSize, desiredSize: group.desiredSize, maxSize: group.maxSize }];
    }
    const share = (size: number) => size / subnets.length;
    return subnets.map((subnet) => ({
        key: `${group.name}-${subnet.zone}`,
        subnetIds: [subnet.subnetId],
        minSize: share(group.minSize),
        desiredSize: share(group.desiredSize),
        maxSize: share(group.maxSize),
    }));
}

export interface NodeGroupArgs {
    /** The group's settings from the stack config. */
    readonly settings: NodeGroupSettings;
    /** Its subnets and sizes. */
    readonly placement: NodeGroupPlacement;
    /** The EKS cluster the nodes join. */
    readonly clusterName: pulumi.Input<string>;
    /** The Kubernetes version the nodes run. */
    readonly version: string;
    /** The nodes' instance role. */
    readonly nodeRoleArn: pulumi.Input<string>;
    /** Instance metadata hop limit; 1 keeps pods from the node's credentials. */
    readonly imdsHopLimit: number;
    /** What nodes need to become Ready: the node role's policies and pod networking (the VPC CNI add-on). */
    readonly dependsOn: pulumi.Resource[];
    /** The current desired sizes of the cluster's node groups (see {@link lookupCurrentSizes}); empty on a first `up`. */
    readonly currentSizes: pulumi.Input<CurrentSizes>;
}

/** The current desired size of each node group of a cluster, by the group's name in EKS. */
export type CurrentSizes = Record<string, number>;

/**
 * The current desired size of every node group of an existing cluster (what the Cluster
 * Autoscaler last set). Ask only when the cluster exists: EKS answers ListNodegroups for an
 * unknown cluster with ResourceNotFoundException.
 */
export function lookupCurrentSizes(clusterName: string, parent: pulumi.Resource): pulumi.Output<CurrentSizes> {
    return aws.eks.getNodeGroupsOutput({ clusterName }, { parent }).names.apply(async (names) => {
        const groups = await Promise.all(names.map((nodeGroupName) => aws.eks.getNodeGroup({ clusterName, nodeGroupName }, { parent })));
        return Object.fromEntries(groups.map((g) => [g.nodeGroupName, g.scalingConfigs[0]?.desiredSize ?? 0]));
    });
}

/** True when EKS's `physicalName` is the one Pulumi's auto-naming made from `resourceName`: the name, a dash and seven hex digits. */
export function isAutoNameOf(resourceName: string, physicalName: string): boolean {
    return physicalName.length === resourceName.length + 8 && physicalName.startsWith(`${resourceName}-`) && /^[0-9a-f]{7}$/.test(physicalName.slice(-7));
}

/**
 * The desired size an update sends. EKS applies the scaling config as a whole and refuses a
 * minimum above the desired size or a maximum below it (UpdateNodegroupConfig,
 * InvalidParameterException "Minimum capacity X can't be greater than desired size Y";
 * terraform-aws-modules/terraform-aws-eks#748), and the AWS provider always sends the desired size
 * (terraform-provider-aws internal/service/eks/node_group.go, expandNodegroupScalingConfig). So an
 * existing group keeps the autoscaler's current size, moved into the configured bounds; a new
 * group starts at the configured size.
 */
export function desiredSizeFor(placement: Pick<NodeGroupPlacement, "minSize" | "desiredSize" | "maxSize">, current: number | undefined): number {
    if (current === undefined) {
        return placement.desiredSize;
    }
    return Math.min(Math.max(current, placement.minSize), placement.maxSize);
}

/** The current size of the group made from `resourceName`; the larger while a replacement leaves two. */
export function currentSizeOf(resourceName: string, sizes: CurrentSizes): number | undefined {
    const found = Object.entries(sizes)
        .filter(([physical]) => isAutoNameOf(resourceName, physical))
        .map(([, size]) => size);
    return found.length > 0 ? Math.max(...found) : undefined;
}

/** Instances answer only IMDSv2 session requests, and the root volume is encrypted gp3. */
export function launchTemplateArgs(settings: NodeGroupSettings, hopLimit: number): aws.ec2.LaunchTemplateArgs {
    return {
        updateDefaultVersion: true,
        metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: hopLimit },
        blockDeviceMappings: [
            { deviceName: "/dev/xvda", ebs: { volumeSize: settings.diskSizeGiB, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" } },
        ],
    };
}

/**
 * A managed node group on its own launch template. After creation the desired size belongs to
 * the cluster autoscaler: an update sends the group's current size (within the configured
 * bounds), so it never scales the group back to the configured number, and a raised `minSize`
 * raises the desired size with it instead of being refused.
 */
export function createNodeGroup(name: string, args: NodeGroupArgs, parent: pulumi.Resource): aws.eks.NodeGroup {
    const template = new aws.ec2.LaunchTemplate(name, launchTemplateArgs(args.settings, args.imdsHopLimit), { parent });
    const { settings, placement } = args;
    return new aws.eks.NodeGroup(
        name,
        {
            clusterName: args.clusterName,
            version: args.version,
            nodeRoleArn: args.nodeRoleArn,
            subnetIds: placement.subnetIds,
            instanceTypes: settings.instanceTypes,
            capacityType: settings.capacityType,
            scalingConfig: {
                minSize: placement.minSize,
                desiredSize: pulumi.output(args.currentSizes).apply((sizes) => desiredSizeFor(placement, currentSizeOf(name, sizes))),
                maxSize: placement.maxSize,
            },
            updateConfig: { maxUnavailable: settings.maxUnavailable },
            labels: settings.labels,
            taints: settings.taints,
            launchTemplate: { id: template.id, version: template.latestVersion.apply(String) },
        },
        { parent, dependsOn: args.dependsOn },
    );
}
