import { z } from "zod";
import type { PerProfile } from "../profile";
import { dnsLabel, iamRoleArn, ipv4Cidr, noDuplicates } from "../rules";

/**
 * Kubernetes versions in EKS standard support, newest last: 1.35 until 2027-03-27, 1.36 (on EKS
 * since 2026-06) until 2027-08 (docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html,
 * "Amazon EKS Kubernetes release calendar"; 1.34 left standard support on 2026-12-02).
 */
export const kubernetesVersions = ["1.35", "1.36"] as const;

/** Every control-plane log type EKS can ship to CloudWatch. */
export const controlPlaneLogTypes = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

/** The EKS managed add-ons the platform installs, each pinnable by version. */
export const managedAddons = ["vpc-cni", "coredns", "kube-proxy", "eks-pod-identity-agent", "metrics-server", "amazon-cloudwatch-observability"] as const;

const quantity = (description: string) => z.int().min(0).meta({ description });

/**
 * A node group's name is part of its EKS name (`cluster-<name>-<zone>` and Pulumi's 8-character
 * suffix), which EKS caps at 63 characters.
 */
export const nodeGroupNameMaxLength = 20;

const taintSchema = z.strictObject({
    key: z.string().min(1).meta({ description: "Taint key." }),
    value: z.string().optional().meta({ description: "Taint value." }),
    effect: z.enum(["NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE"]).meta({ description: "What the taint does to pods that do not tolerate it." }),
});

/** One EKS managed node group. */
export const nodeGroupSchema = z
    .strictObject({
        name: dnsLabel
            .refine((name) => name.length <= nodeGroupNameMaxLength, { error: `is longer than ${nodeGroupNameMaxLength} characters; the EKS node group name it is part of may have 63` })
            .meta({ description: `Node group name, unique in the stack, at most ${nodeGroupNameMaxLength} characters.` }),
        instanceTypes: z.array(z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, { error: "is not an EC2 instance type (e.g. m7i.large)" })).min(1).superRefine(noDuplicates()).meta({ description: "EC2 instance types, most preferred first; several help spot capacity." }),
        capacityType: z.enum(["ON_DEMAND", "SPOT"]).meta({ description: "`ON_DEMAND` or `SPOT` (up to 90% cheaper, reclaimable with two minutes' notice)." }),
        minSize: quantity("Fewest nodes the autoscaler keeps, in all zones together."),
        desiredSize: quantity("Nodes at creation, in all zones together; the cluster autoscaler owns it afterwards."),
        maxSize: z.int().min(1).meta({ description: "Most nodes the autoscaler may add, in all zones together." }),
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
        adminRoleArns: z
            .array(iamRoleArn)
            .meta({ description: "IAM roles given cluster admin through access entries, whoever runs `pulumi up`. Never the role that creates the cluster: EKS makes that one admin itself. Default none." }),
        viewerRoleArns: z.array(iamRoleArn).meta({
            description:
                "IAM roles given read-only Kubernetes access (`AmazonEKSViewPolicy`, cluster-wide) through access entries: CI's preview roles, so `pulumi preview` reads the live objects instead of skipping its checks. Never the role that creates the cluster. Default none.",
        }),
        publicAccessCidrs: z
            .array(ipv4Cidr)
            .superRefine(noDuplicates())
            .meta({
                description:
                    "CIDRs that may reach the Kubernetes API from the internet: where `pulumi up` runs from (CI runners' and VPN egress). Empty turns the public endpoint off, which a new cluster cannot start with: nothing outside its new VPC could reach the API. Dev `0.0.0.0/0`, production none (set yours).",
            }),
        logTypes: z.array(z.enum(controlPlaneLogTypes)).superRefine(noDuplicates()).meta({ description: "Control-plane logs shipped to CloudWatch. Dev `audit`, production all five." }),
        nodeGroups: z.array(nodeGroupSchema).min(1).meta({ description: "Managed node groups. Dev one small spot group; production an on-demand system group of at least 3 nodes." }),
        nodeGroupPerZone: z
            .boolean()
            .meta({
                description:
                    "Each node group becomes one EKS node group per zone, its sizes split evenly, so the Cluster Autoscaler can add a node in the zone a pending pod needs (production spreads pods strictly across zones). Dev false, production true.",
            }),
        imdsHopLimit: z.int().min(1).max(64).meta({ description: "Instance metadata hop limit on nodes; 1 keeps pods from reaching the node's credentials. Default 1." }),
        addonVersions: z
            .partialRecord(z.enum(managedAddons), z.string().regex(/^v\d+\.\d+\.\d+(-[\w.]+)?$/, { error: "is not an EKS add-on version (e.g. v1.19.2-eksbuild.5)" }))
            .meta({
                description:
                    "Pins EKS add-on versions. An add-on not listed gets the version EKS marks default when it is created and keeps it (nothing is looked up at each preview); list it here to upgrade it, e.g. after `version` changes.",
            }),
        podSecurity: z.enum(["enforce", "warn"]).meta({ description: "Pod Security Admission `restricted` level on workload namespaces: `enforce` rejects non-compliant pods, `warn` only warns. Dev `warn`, production `enforce`." }),
    })
    .superRefine((cluster, ctx) => {
        const roleNames = new Set<string>();
        for (const key of ["adminRoleArns", "viewerRoleArns"] as const) {
            cluster[key].forEach((arn, i) => {
                const name = arn.slice(arn.lastIndexOf("/") + 1);
                if (roleNames.has(name)) {
                    ctx.addIssue({ code: "custom", path: [key, i], input: arn, message: `names role ${name} again; each role gets one access entry` });
                }
                roleNames.add(name);
            });
        }
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
        viewerRoleArns: [],
        publicAccessCidrs: ["0.0.0.0/0"],
        logTypes: ["audit"],
        nodeGroups: [{ name: "spot", instanceTypes: ["t3.large", "t3a.large"], capacityType: "SPOT", minSize: 1, desiredSize: 2, maxSize: 3, diskSizeGiB: 30 }],
        nodeGroupPerZone: false,
        imdsHopLimit: 1,
        addonVersions: {},
        podSecurity: "warn",
    },
    production: {
        version: latest,
        adminRoleArns: [],
        viewerRoleArns: [],
        publicAccessCidrs: [],
        logTypes: [...controlPlaneLogTypes],
        nodeGroups: [{ name: "system", instanceTypes: ["m7i.large", "m6i.large"], capacityType: "ON_DEMAND", minSize: 3, desiredSize: 3, maxSize: 9 }],
        nodeGroupPerZone: true,
        imdsHopLimit: 1,
        addonVersions: {},
        podSecurity: "enforce",
    },
};
