import * as pulumi from "@pulumi/pulumi";
import type { EdgeSettings } from "../../config/sections/edge";
import { createAccessLogsBucket } from "./accessLogs";
import { createWebAcl } from "./webAcl";

export interface EdgeArgs {
    /** The edge section of the stack config. */
    readonly settings: EdgeSettings;
    /** Tags the load balancer controller puts on the ALBs it makes, so alarms can find them. */
    readonly albTags: Record<string, string>;
    /** The services with an ALB: each writes its access logs under its own prefix. */
    readonly services: readonly string[];
}

/** The S3 prefix a service's ALB writes its access logs under. */
export function accessLogPrefix(service: string): string {
    return service;
}

/** The ALB attributes the edge settings imply, as the load balancer controller's annotation takes them. */
export function loadBalancerAttributes(settings: EdgeSettings, bucket: string | undefined, prefix: string): string {
    const attributes = [`idle_timeout.timeout_seconds=${settings.idleTimeoutSeconds}`];
    if (bucket !== undefined) {
        attributes.push("access_logs.s3.enabled=true", `access_logs.s3.bucket=${bucket}`, `access_logs.s3.prefix=${prefix}`);
    }
    return attributes.join(",");
}

/**
 * What stands in front of every service: a WAF web ACL (per-IP rate limit, AWS managed rules),
 * ALB timeouts, and in production access logs. Services take it as Ingress annotations.
 */
export class Edge extends pulumi.ComponentResource {
    readonly webAclArn: pulumi.Output<string>;
    readonly accessLogsBucket?: pulumi.Output<string>;
    /** What an Ingress using these annotations waits for: the ALB checks it may write its logs. */
    readonly ingressPrerequisites: pulumi.Resource[] = [];
    private readonly settings: EdgeSettings;
    private readonly albTags: Record<string, string>;

    constructor(name: string, args: EdgeArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:edge:Edge", name, {}, opts);
        this.settings = args.settings;
        this.albTags = args.albTags;
        this.webAclArn = createWebAcl(`${name}-waf`, args.settings.rateLimitPer5Minutes, this).arn;
        if (args.settings.accessLogs.enabled) {
            const logs = createAccessLogsBucket(
                `${name}-access-logs`,
                { retentionDays: args.settings.accessLogs.retentionDays, prefixes: args.services.map(accessLogPrefix) },
                this,
            );
            this.accessLogsBucket = logs.bucket.bucket;
            this.ingressPrerequisites.push(logs.policy);
        }
        this.registerOutputs({ webAclArn: this.webAclArn, accessLogsBucket: this.accessLogsBucket });
    }

    /** The Ingress annotations that put a service's ALB behind this edge. */
    ingressAnnotations(service: string): Record<string, pulumi.Output<string>> {
        const bucket: pulumi.Output<string | undefined> = this.accessLogsBucket ?? pulumi.output(undefined);
        const tags = Object.entries(this.albTags)
            .map(([k, v]) => `${k}=${v}`)
            .join(",");
        return {
            "alb.ingress.kubernetes.io/wafv2-acl-arn": this.webAclArn,
            "alb.ingress.kubernetes.io/load-balancer-attributes": bucket.apply((b: string | undefined) => loadBalancerAttributes(this.settings, b, accessLogPrefix(service))),
            "alb.ingress.kubernetes.io/target-group-attributes": pulumi.output(`deregistration_delay.timeout_seconds=${this.settings.deregistrationDelaySeconds}`),
            "alb.ingress.kubernetes.io/tags": pulumi.output(tags),
        };
    }
}
