import { z } from "zod";
import type { PerProfile } from "../profile";
import { dnsLabel, iamRoleArn, ipv4Cidr, noDuplicates } from "../rules";

/** Kubernetes versions in EKS standard support when this release was cut, newest last. */
export const kubernetesVersions = ["1.34", "1.35"] as const;

/** Every control-plane log type EKS can ship to CloudWatch. */
export const controlPlaneLogTypes = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

/** The EKS managed add-ons the platform installs, each pinnable by version. */
export const managedAddons = ["vpc-cni", "coredns", "kube-proxy", "eks-pod-identity-agent", "metrics-server", "amazon-cloudwatch-observability"] as const;

const quantity = (description: string) => z.int().min(0).meta({ description });

const taintSchema = z.strictObject({
    key: z.string().min(1).meta({ description: "Taint key." }),
    value: z.string().optional().meta({ description: "Taint value." }),
    effect: z.enum(["NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE"]).meta({ description: "What the taint does to pods that do not tolerate it." }),
});

/** One EKS managed node group. */
export const nodeGroupSchema = z
    .strictObject({
        name: dnsLabel.meta({ description: "Node group name, unique in the stack." }),
        instanceTypes: z.array(z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, { error: "is not an EC2 instance type (e.g. m7i.large)" })).min(1).superRefine(noDuplicates()).meta({ description: "EC2 instance types, most preferred first; several help spot capacity." }),
        capacityType: z.enum(["ON_DEMAND", "SPOT"]).meta({ description: "`ON_DEMAND` or `SPOT` (up to 90% cheaper, reclaimable with two minutes' notice)." }),
        minSize: quantity("Fewest nodes the autoscaler keeps."),
        desiredSize: quantity("Nodes at creation; the cluster autoscaler owns it afterwards."),
        maxSize: z.int().min(1).meta({ description: "Most nodes the autoscaler may add." }),
        diskSizeGiB: z.int().min(20).max(16384).default(50).meta({ description: "Encrypted gp3 root volume per node, in GiB. Default 50." }),
        maxUnavailable: z.int().min(1).max(100).default(1).meta({ description: "Nodes replaced at once during a node group update. Default 1." }),
        labels: z.record(z.string(), z.string()).default({}).meta({ description: "Kubernetes labels on every node of the group." }),
        // The API server keeps one taint per key and effect (kubernetes/kubernetes pkg/apis/core/validation, validateNodeTaints).
        taints: z.array(taintSchema).superRefine(noDuplicates((taint: { key: string; effect: string }) => [taint.key, taint.effect], "key and effect")).default([]).meta({ description: "Taints on every node of the group." }),
    })
    .superRefine((group, ctx) => {
        if (group.minSize > group.desiredSize) {
            ctx.addIssue({ code: "custom", path: ["minSize"], input: group.minSize, message: `is above desiredSize ${group.desiredSize}` });
        }
        if (group.desiredSize > group.maxSize) {
            ctx.addIssue({ code: "custom", path: ["desiredSize"], input: group.desiredSize, message: `is above maxSize ${group.maxSize}` });
        }
    });

export type NodeGroupSettings = z.output<typeof nodeGroupSchema>;

export const clusterSchema = z
    .strictObject({
        version: z.enum(kubernetesVersions).meta({ description: `Kubernetes version of the control plane and nodes; one in EKS standard support (${kubernetesVersions.join(", ")}). Default ${kubernetesVersions[kubernetesVersions.length - 1]}.` }),
        adminRoleArns: z.array(iamRoleArn).superRefine(noDuplicates()).meta({ description: "IAM roles given cluster admin through access entries, besides the role that creates the cluster. Default none." }),
        publicAccessCidrs: z.array(ipv4Cidr).superRefine(noDuplicates()).meta({ description: "CIDRs that may reach the Kubernetes API from the internet; empty turns the public endpoint off. Dev `0.0.0.0/0`, production none." }),
        logTypes: z.array(z.enum(controlPlaneLogTypes)).superRefine(noDuplicates()).meta({ description: "Control-plane logs shipped to CloudWatch. Dev `audit`, production all five." }),
        nodeGroups: z.array(nodeGroupSchema).min(1).meta({ description: "Managed node groups. Dev one small spot group; production an on-demand system group of at least 3 nodes." }),
        imdsHopLimit: z.int().min(1).max(64).meta({ description: "Instance metadata hop limit on nodes; 1 keeps pods from reaching the node's credentials. Default 1." }),
        addonVersions: z.partialRecord(z.enum(managedAddons), z.string().regex(/^v\d+\.\d+\.\d+(-[\w.]+)?$/, { error: "is not an EKS add-on version (e.g. v1.19.2-eksbuild.5)" })).meta({ description: "Pins EKS add-on versions; an add-on not listed runs the version EKS marks default for the cluster's Kubernetes version." }),
        podSecurity: z.enum(["enforce", "warn"]).meta({ description: "Pod Security Admission `restricted` level on workload namespaces: `enforce` rejects non-compliant pods, `warn` only warns. Dev `warn`, production `enforce`." }),
    })
    .superRefine((cluster, ctx) => {
        const seen = new Set<string>();
        cluster.nodeGroups.forEach((group, i) => {
            if (seen.has(group.name)) {
                ctx.addIssue({ code: "custom", path: ["nodeGroups", i, "name"], input: group.name, message: "is the name of another node group too" });
            }
            seen.add(group.name);
        });
    })
    .meta({ description: "The EKS cluster: version, API access, logging, node groups and add-ons." });

export type ClusterSettings = z.output<typeof clusterSchema>;

const latest = kubernetesVersions[kubernetesVersions.length - 1];

export const clusterDefaults: PerProfile<z.input<typeof clusterSchema>> = {
    dev: {
        version: latest,
        adminRoleArns: [],
        publicAccessCidrs: ["0.0.0.0/0"],
        logTypes: ["audit"],
        nodeGroups: [{ name: "spot", instanceTypes: ["t3.large", "t3a.large"], capacityType: "SPOT", minSize: 1, desiredSize: 2, maxSize: 3, diskSizeGiB: 30 }],
        imdsHopLimit: 1,
        addonVersions: {},
        podSecurity: "warn",
    },
    production: {
        version: latest,
        adminRoleArns: [],
        publicAccessCidrs: [],
        logTypes: [...controlPlaneLogTypes],
        nodeGroups: [{ name: "system", instanceTypes: ["m7i.large", "m6i.large"], capacityType: "ON_DEMAND", minSize: 3, desiredSize: 3, maxSize: 9 }],
        imdsHopLimit: 1,
        addonVersions: {},
        podSecurity: "enforce",
    },
};
