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
 * the cluster autoscaler, so an update never scales the group back to the configured number.
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
            scalingConfig: { minSize: placement.minSize, desiredSize: placement.desiredSize, maxSize: placement.maxSize },
            updateConfig: { maxUnavailable: settings.maxUnavailable },
            labels: settings.labels,
            taints: settings.taints,
            launchTemplate: { id: template.id, version: template.latestVersion.apply(String) },
        },
        { parent, ignoreChanges: ["scalingConfig.desiredSize"], dependsOn: args.dependsOn },
    );
}
