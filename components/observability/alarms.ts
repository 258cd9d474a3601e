import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ObservabilitySettings } from "../../config/sections/observability";

type Thresholds = ObservabilitySettings["alarms"];

/** A Metrics Insights query over the ALBs the load balancer controller tagged with this stack. */
export function albQuery(aggregate: string, metric: string, stack: string, dimensions = "LoadBalancer"): string {
    return `SELECT ${aggregate}(${metric}) FROM SCHEMA("AWS/ApplicationELB", ${dimensions}) WHERE tag.stack = '${stack}'`;
}

/** The most nodes the node groups may reach together: beyond it the autoscaler can add none. */
export function nodeCeiling(groups: readonly { maxSize: number }[]): number {
    return groups.reduce((sum, group) => sum + group.maxSize, 0);
}

/** One alarm as data: what it watches, when it fires. */
export interface AlarmSpec {
    readonly name: string;
    readonly description: string;
    readonly comparisonOperator: string;
    readonly threshold: number;
    readonly evaluationPeriods: number;
    readonly metric:
        | { readonly query: string }
        | { readonly namespace: string; readonly metricName: string; readonly statistic: string; readonly dimensions: Record<string, string> };
}

/** The alarms of a stack: what users feel first (ALB errors, latency, unhealthy targets), then what causes it. */
export function alarmSpecs(t: Thresholds, stack: string, databaseIdentifier: string, clusterName: string, nodeCeiling: number): AlarmSpec[] {
    const rds = (metricName: string, statistic: string) => ({ namespace: "AWS/RDS", metricName, statistic, dimensions: { DBInstanceIdentifier: databaseIdentifier } });
    return [
        { name: "alb-5xx", description: `The stack's ALBs answered more than ${t.alb5xxPer5Minutes} 5xx in 5 minutes`, comparisonOperator: "GreaterThanThreshold", threshold: t.alb5xxPer5Minutes, evaluationPeriods: 1, metric: { query: albQuery("SUM", "HTTPCode_Target_5XX_Count", stack) } },
        { name: "alb-latency", description: `Average target response time above ${t.targetResponseSeconds}s for 10 minutes`, comparisonOperator: "GreaterThanThreshold", threshold: t.targetResponseSeconds, evaluationPeriods: 2, metric: { query: albQuery("AVG", "TargetResponseTime", stack) } },
        { name: "alb-unhealthy-targets", description: "A target group has had unhealthy pods for 10 minutes", comparisonOperator: "GreaterThanThreshold", threshold: 0, evaluationPeriods: 2, metric: { query: albQuery("MAX", "UnHealthyHostCount", stack, "LoadBalancer, TargetGroup") } },
        { name: "rds-cpu", description: `Database CPU above ${t.rdsCpuPercent}% for 15 minutes`, comparisonOperator: "GreaterThanThreshold", threshold: t.rdsCpuPercent, evaluationPeriods: 3, metric: rds("CPUUtilization", "Average") },
        { name: "rds-free-storage", description: `Less than ${t.rdsFreeStorageGiB} GiB of database storage left`, comparisonOperator: "LessThanThreshold", threshold: t.rdsFreeStorageGiB * 2 ** 30, evaluationPeriods: 1, metric: rds("FreeStorageSpace", "Minimum") },
        { name: "rds-connections", description: `More than ${t.rdsConnections} database connections for 10 minutes`, comparisonOperator: "GreaterThanThreshold", threshold: t.rdsConnections, evaluationPeriods: 2, metric: rds("DatabaseConnections", "Maximum") },
        { name: "nodes-at-ceiling", description: `The cluster has run at its ${nodeCeiling}-node ceiling for 15 minutes: the autoscaler cannot add capacity`, comparisonOperator: "GreaterThanOrEqualToThreshold", threshold: nodeCeiling, evaluationPeriods: 3, metric: { namespace: "ContainerInsights", metricName: "cluster_node_count", statistic: "Maximum", dimensions: { ClusterName: clusterName } } },
    ];
}

export interface AlarmsArgs {
    readonly settings: ObservabilitySettings["alarms"];
    readonly stack: string;
    readonly databaseIdentifier: string;
    readonly clusterName: string;
    /** The most nodes the node groups may reach together. */
    readonly nodeCeiling: number;
}

/**
 * The policy of the key encrypting the alarm topic: the account administers it, and CloudWatch
 * may use it to publish. An SNS topic under the AWS managed `alias/aws/sns` key drops every alarm,
 * since that key's policy cannot admit CloudWatch (Amazon SNS Developer Guide,
 * sns-key-management.html, "Configure AWS KMS permissions for AWS services").
 */
export function alarmTopicKeyPolicy(partition: string, accountId: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            { Sid: "Account", Effect: "Allow", Principal: { AWS: `arn:${partition}:iam::${accountId}:root` }, Action: "kms:*", Resource: "*" },
            {
                Sid: "CloudWatchAlarms",
                Effect: "Allow",
                Principal: { Service: "cloudwatch.amazonaws.com" },
                Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
                Resource: "*",
                Condition: { StringEquals: { "aws:SourceAccount": accountId } },
            },
        ],
    });
}

/** CloudWatch alarms that notify an SNS topic: the one config names, or the stack's own. */
export class Alarms extends pulumi.ComponentResource {
    readonly topicArn: pulumi.Output<string>;

    constructor(name: string, args: AlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:observability:Alarms", name, {}, opts);
        this.topicArn = args.settings.topicArn ? pulumi.output(args.settings.topicArn) : this.createTopic(name, args.settings.emails);
        for (const spec of alarmSpecs(args.settings, args.stack, args.databaseIdentifier, args.clusterName, args.nodeCeiling)) {
            const metric =
                "query" in spec.metric
                    ? { metricQueries: [{ id: "q", expression: spec.metric.query, period: 300, returnData: true }] }
                    : { namespace: spec.metric.namespace, metricName: spec.metric.metricName, statistic: spec.metric.statistic, dimensions: spec.metric.dimensions, period: 300 };
            new aws.cloudwatch.MetricAlarm(
                `${name}-${spec.name}`,
                {
                    alarmDescription: spec.description,
                    comparisonOperator: spec.comparisonOperator,
                    threshold: spec.threshold,
                    evaluationPeriods: spec.evaluationPeriods,
                    treatMissingData: "notBreaching",
                    alarmActions: [this.topicArn],
                    okActions: [this.topicArn],
                    ...metric,
                },
                { parent: this },
            );
        }
        this.registerOutputs({ topicArn: this.topicArn });
    }

    private createTopic(name: string, emails: readonly string[]): pulumi.Output<string> {
        const partition = aws.getPartitionOutput({}, { parent: this }).partition;
        const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        const key = new aws.kms.Key(
            name,
            {
                description: "Alarm notifications: SNS encryption CloudWatch may use",
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                policy: pulumi.all([partition, account]).apply(([p, a]) => alarmTopicKeyPolicy(p, a)),
            },
            { parent: this },
        );
        const topic = new aws.sns.Topic(name, { kmsMasterKeyId: key.arn }, { parent: this });
        emails.forEach((endpoint, i) => {
            new aws.sns.TopicSubscription(`${name}-email-${i}`, { topic: topic.arn, protocol: "email", endpoint }, { parent: this });
        });
        return topic.arn;
    }
}
