import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { createIrsaRole, type OidcProvider } from "../cluster/irsa";

/** The log groups Container Insights writes to; created here first so each gets a retention. */
export function containerLogGroupNames(clusterName: string): string[] {
    return ["application", "dataplane", "host", "performance"].map((kind) => `/aws/containerinsights/${clusterName}/${kind}`);
}

export interface ContainerLogsArgs {
    readonly clusterName: string;
    readonly clusterNameOutput: pulumi.Input<string>;
    readonly oidc: OidcProvider;
    readonly retentionDays: number;
    /** Leave the log groups behind on destroy (production: the records outlive the cluster). */
    readonly keepOnDestroy: boolean;
    /** The add-on version the stack pins; absent, EKS's default at creation, kept afterwards. */
    readonly version?: string;
    /** The add-on runs on nodes: it waits for them. */
    readonly nodeGroups: pulumi.Resource[];
}

/**
 * The policies the add-on's agent needs: CloudWatch for Container Insights, X-Ray for the
 * Application Signals it turns on by default (EKS User Guide, "Amazon CloudWatch Observability
 * agent", Required IAM permissions).
 */
export const containerLogsPolicyArns = ["arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy", "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess"];

/**
 * Every container's stdout and stderr, and node and pod metrics, shipped to CloudWatch by the
 * EKS CloudWatch observability add-on (Fluent Bit and the CloudWatch agent) with an IRSA role.
 */
export function createContainerLogs(name: string, args: ContainerLogsArgs, parent: pulumi.Resource): aws.eks.Addon {
    const groups = containerLogGroupNames(args.clusterName).map(
        (logGroup) => new aws.cloudwatch.LogGroup(`${name}-${logGroup.split("/").pop()}`, { name: logGroup, retentionInDays: args.retentionDays }, { parent, retainOnDelete: args.keepOnDestroy }),
    );
    const role = createIrsaRole(
        name,
        {
            oidc: args.oidc,
            account: { namespace: "amazon-cloudwatch", name: "cloudwatch-agent" },
            managedPolicyArns: containerLogsPolicyArns,
        },
        parent,
    );
    return new aws.eks.Addon(
        name,
        {
            clusterName: args.clusterNameOutput,
            addonName: "amazon-cloudwatch-observability",
            addonVersion: args.version,
            serviceAccountRoleArn: role.arn,
            resolveConflictsOnCreate: "OVERWRITE",
            resolveConflictsOnUpdate: "OVERWRITE",
        },
        { parent, dependsOn: [...groups, ...args.nodeGroups, ...role.permissions] },
    );
}
