import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { NodeGroupSettings } from "../../config/sections/cluster";

export interface NodeGroupArgs {
    /** The group's settings from the stack config. */
    readonly settings: NodeGroupSettings;
    /** The EKS cluster the nodes join. */
    readonly clusterName: pulumi.Input<string>;
    /** The Kubernetes version the nodes run. */
    readonly version: string;
    /** The nodes' instance role. */
    readonly nodeRoleArn: pulumi.Input<string>;
    /** Private subnets, one per zone, so the group spreads over every zone. */
    readonly subnetIds: pulumi.Input<string>[];
    /** Instance metadata hop limit; 1 keeps pods from the node's credentials. */
    readonly imdsHopLimit: number;
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
    const { settings } = args;
    return new aws.eks.NodeGroup(
        name,
        {
            clusterName: args.clusterName,
            version: args.version,
            nodeRoleArn: args.nodeRoleArn,
            subnetIds: args.subnetIds,
            instanceTypes: settings.instanceTypes,
            capacityType: settings.capacityType,
            scalingConfig: { minSize: settings.minSize, desiredSize: settings.desiredSize, maxSize: settings.maxSize },
            updateConfig: { maxUnavailable: settings.maxUnavailable },
            labels: settings.labels,
            taints: settings.taints,
            launchTemplate: { id: template.id, version: template.latestVersion.apply(String) },
        },
        { parent, ignoreChanges: ["scalingConfig.desiredSize"] },
    );
}
