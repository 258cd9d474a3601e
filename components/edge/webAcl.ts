import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";

/** The AWS managed rule groups every ALB of the stack runs: common exploits and known-bad inputs. */
export const managedRuleGroups = ["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"] as const;

const visibility = (metricName: string) => ({ cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName });

/** The web ACL's rules: first the per-IP rate limit, then the managed groups, in this order. */
export function webAclRules(name: string, rateLimitPer5Minutes: number): aws.types.input.wafv2.WebAclRule[] {
    return [
        {
            name: "rate-limit-per-ip",
            priority: 0,
            action: { block: {} },
            statement: { rateBasedStatement: { limit: rateLimitPer5Minutes, aggregateKeyType: "IP", evaluationWindowSec: 300 } },
            visibilityConfig: visibility(`${name}-rate-limit`),
        },
        ...managedRuleGroups.map((group, i) => ({
            name: group,
            priority: i + 1,
            overrideAction: { none: {} },
            statement: { managedRuleGroupStatement: { vendorName: "AWS", name: group } },
            visibilityConfig: visibility(`${name}-${group}`),
        })),
    ];
}

/** A regional WAF web ACL the services' ALBs attach through their Ingress. */
export function createWebAcl(name: string, rateLimitPer5Minutes: number, parent: pulumi.Resource): aws.wafv2.WebAcl {
    return new aws.wafv2.WebAcl(
        name,
        { scope: "REGIONAL", defaultAction: { allow: {} }, rules: webAclRules(name, rateLimitPer5Minutes), visibilityConfig: visibility(name) },
        { parent },
    );
}
