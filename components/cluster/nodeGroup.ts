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
    /** The scaling of the cluster's node groups in EKS now (see {@link lookupNodeGroupScaling}); empty on a first `up`. */
    readonly live: LiveScaling;
}

/** A node group's scaling config as EKS holds it now, with the settings whose change replaces the group. */
export interface GroupScaling {
    readonly minSize: number;
    readonly desiredSize: number;
    readonly maxSize: number;
    /** Unknown (a fake account's group) counts as unchanged. */
    readonly instanceTypes?: readonly string[];
    readonly capacityType?: string;
}

/** The scaling config of each node group of a cluster, by the group's name in EKS. */
export type LiveScaling = Readonly<Record<string, GroupScaling>>;

/**
 * The scaling config of every node group of an existing cluster, the desired size being what the
 * Cluster Autoscaler last set. Asked before anything is registered, as whether the desired size is
 * ignored must be known when the node group is. Ask only when the cluster exists: EKS answers
 * ListNodegroups for an unknown cluster with ResourceNotFoundException.
 */
export async function lookupNodeGroupScaling(clusterName: string, provider: pulumi.ProviderResource): Promise<LiveScaling> {
    const { names } = await aws.eks.getNodeGroups({ clusterName }, { provider });
    const groups = await Promise.all(names.map((nodeGroupName) => aws.eks.getNodeGroup({ clusterName, nodeGroupName }, { provider })));
    return Object.fromEntries(
        groups.map((g) => {
            const { minSize = 0, desiredSize = 0, maxSize = 0 } = g.scalingConfigs[0] ?? {};
            return [g.nodeGroupName, { minSize, desiredSize, maxSize, instanceTypes: g.instanceTypes, capacityType: g.capacityType }];
        }),
    );
}

/** True when EKS's `physicalName` is the one Pulumi's auto-naming made from `resourceName`: the name, a dash and seven hex digits. */
export function isAutoNameOf(resourceName: string, physicalName: string): boolean {
    return physicalName.length === resourceName.length + 8 && physicalName.startsWith(`${resourceName}-`) && /^[0-9a-f]{7}$/.test(physicalName.slice(-7));
}

/**
 * The desired size a scaling update sends. EKS applies the scaling config as a whole and refuses a
 * minimum above the desired size or a maximum below it (UpdateNodegroupConfig,
 * InvalidParameterException "Minimum capacity X can't be greater than desired size Y";
 * terraform-aws-modules/terraform-aws-eks#748). So an existing group keeps the autoscaler's current
 * size, moved into the configured bounds; a new group starts at the configured size.
 */
export function desiredSizeFor(placement: Pick<NodeGroupPlacement, "minSize" | "desiredSize" | "maxSize">, current: number | undefined): number {
    if (current === undefined) {
        return placement.desiredSize;
    }
    return Math.min(Math.max(current, placement.minSize), placement.maxSize);
}

/** The scaling of the group made from `resourceName`; the larger while a replacement leaves two. */
export function liveScalingOf(resourceName: string, live: LiveScaling): GroupScaling | undefined {
    return Object.entries(live)
        .filter(([physical]) => isAutoNameOf(resourceName, physical))
        .map(([, scaling]) => scaling)
        .reduce<GroupScaling | undefined>((larger, s) => (larger === undefined || s.desiredSize > larger.desiredSize ? s : larger), undefined);
}

/**
 * Whether this update leaves the group's desired size to the autoscaler: the group exists, keeps its
 * bounds, and is not replaced. The AWS provider sends the scaling config only when it changed, and
 * then whole, desired size included (terraform-provider-aws internal/service/eks/node_group.go,
 * resourceNodeGroupUpdate: `if d.HasChange("scaling_config")`); an ignored desired size would be
 * sent as its old input, so it is ignored only when no scaling update is sent at all. A change of
 * `instance_types` or `capacity_type` replaces the group (ForceNew in the same file's schema), and a
 * replacement created from an ignored desired size would start at the old input, not at the
 * autoscaler's current size. A second `up` plans nothing however the autoscaler moved.
 */
export function autoscalerKeepsDesiredSize(
    placement: Pick<NodeGroupPlacement, "minSize" | "maxSize">,
    settings: Pick<NodeGroupSettings, "instanceTypes" | "capacityType">,
    live: GroupScaling | undefined,
): boolean {
    if (live === undefined || live.minSize !== placement.minSize || live.maxSize !== placement.maxSize) {
        return false;
    }
    const replaced =
        (live.instanceTypes !== undefined && live.instanceTypes.join(",") !== settings.instanceTypes.join(",")) ||
        (live.capacityType !== undefined && live.capacityType !== settings.capacityType);
    return !replaced;
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
 * the cluster autoscaler: an update that leaves the bounds alone never sends it, and one that
 * changes them sends the group's current size moved into the new bounds, so a raised `minSize`
 * raises the desired size instead of being refused, and no update scales the group back to a
 * configured or stale number.
 */
export function createNodeGroup(name: string, args: NodeGroupArgs, parent: pulumi.Resource): aws.eks.NodeGroup {
    const template = new aws.ec2.LaunchTemplate(name, launchTemplateArgs(args.settings, args.imdsHopLimit), { parent });
    const { settings, placement } = args;
    const live = liveScalingOf(name, args.live);
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
                desiredSize: desiredSizeFor(placement, live?.desiredSize),
                maxSize: placement.maxSize,
            },
            updateConfig: { maxUnavailable: settings.maxUnavailable },
            labels: settings.labels,
            taints: settings.taints,
            launchTemplate: { id: template.id, version: template.latestVersion.apply(String) },
        },
        { parent, dependsOn: args.dependsOn, ignoreChanges: autoscalerKeepsDesiredSize(placement, settings, live) ? ["scalingConfig.desiredSize"] : [] },
    );
}
