import { z } from "zod";
import type { PerProfile } from "../profile";
import { noDuplicates } from "../rules";
import { logRetentionDays } from "./network";

const snsTopicArn = z.string().regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/, { error: "is not an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)" });

export const observabilitySchema = z
    .strictObject({
        logRetentionDays: z
            .literal(logRetentionDays)
            .meta({ description: "Days CloudWatch keeps container and control-plane logs. Dev 14, production 365." }),
        alarms: z
            .strictObject({
                enabled: z.boolean().meta({ description: "Create the alarms. Dev false, production true." }),
                topicArn: snsTopicArn.optional().meta({ description: "SNS topic the alarms notify; without it the stack creates one (exported as `alarmTopicArn`)." }),
                emails: z.array(z.email({ error: "is not an email address" })).superRefine(noDuplicates((email: string) => email.toLowerCase(), "address")).meta({ description: "Addresses subscribed to the stack's own topic (each must confirm). Default none." }),
                alb5xxPer5Minutes: z.int().min(1).meta({ description: "Alarm when the stack's ALBs answer more 5xx than this in 5 minutes. Default 25." }),
                targetResponseSeconds: z.number().gt(0).meta({ description: "Alarm when the average target response time of the stack's ALBs exceeds this for 10 minutes. Default 1." }),
                rdsCpuPercent: z.number().gt(0).max(100).meta({ description: "Alarm when database CPU exceeds this for 15 minutes. Default 80." }),
                rdsFreeStorageGiB: z.number().gt(0).meta({ description: "Alarm when free database storage falls below this. Default 10." }),
                rdsConnections: z.int().min(1).meta({ description: "Alarm when database connections exceed this. Default 400." }),
            })
            .meta({ description: "CloudWatch alarms to SNS: ALB errors, latency and unhealthy targets; RDS CPU, storage and connections; nodes at the ceiling." }),
    })
    .meta({ description: "Logs and alarms: container logs to CloudWatch with retention, and the alarms that page." });

export type ObservabilitySettings = z.output<typeof observabilitySchema>;

const thresholds = { alb5xxPer5Minutes: 25, targetResponseSeconds: 1, rdsCpuPercent: 80, rdsFreeStorageGiB: 10, rdsConnections: 400 };

export const observabilityDefaults: PerProfile<z.input<typeof observabilitySchema>> = {
    dev: { logRetentionDays: 14, alarms: { enabled: false, emails: [], ...thresholds } },
    production: { logRetentionDays: 365, alarms: { enabled: true, emails: [], ...thresholds } },
};
