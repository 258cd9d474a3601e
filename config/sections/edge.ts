import { z } from "zod";
import type { PerProfile } from "../profile";


/** The longest idle timeout an ALB takes (ELB User Guide, application-load-balancers.html#connection-idle-timeout: 1 to 4000 seconds). */
export const maxIdleTimeoutSeconds = 4000;
export const edgeSchema = z
    .strictObject({
        rateLimitPer5Minutes: z
            .int()
            .min(10)
            .max(2_000_000_000)
            .meta({ description: "Requests one client IP may make in any 5-minute window before WAF blocks it; shared by every service of the stack. Dev 2000, production 1000." }),
        idleTimeoutSeconds: z.int().min(1).max(maxIdleTimeoutSeconds).meta({ description: "ALB idle connection timeout. Default 60." }),
        deregistrationDelaySeconds: z
            .int()
            .min(0)
            .max(3600)
            .meta({ description: "How long the ALB keeps draining a pod's in-flight requests after it starts terminating; must fit in the pods' grace period. Default 30." }),
        accessLogs: z
            .strictObject({
                enabled: z.boolean().meta({ description: "ALB access logs to an encrypted S3 bucket. Dev false, production true." }),
                retentionDays: z.int().min(1).max(3650).meta({ description: "Days access logs are kept before expiry. Default 90." }),
            })
            .meta({ description: "ALB access logs." }),
    })
    .meta({ description: "The edge in front of the services: WAF rate limit and managed rules, ALB timeouts and access logs." });

export type EdgeSettings = z.output<typeof edgeSchema>;

export const edgeDefaults: PerProfile<z.input<typeof edgeSchema>> = {
    dev: { rateLimitPer5Minutes: 2000, idleTimeoutSeconds: 60, deregistrationDelaySeconds: 30, accessLogs: { enabled: false, retentionDays: 90 } },
    production: { rateLimitPer5Minutes: 1000, idleTimeoutSeconds: 60, deregistrationDelaySeconds: 30, accessLogs: { enabled: true, retentionDays: 90 } },
};
