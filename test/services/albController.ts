import { z } from "zod";
import type { KubernetesObject } from "../../tools/engine/manifests";

// How the AWS Load Balancer Controller v3.5.0 (chart 3.5.0, pinned in
// components/cluster/loadBalancerController.ts) reads an Ingress, mirrored from its source:
// - JSON of `actions.<name>` and `conditions.<name>`: pkg/ingress/config_types.go (the json tags,
//   and the `validate()` rules); decoded with encoding/json (pkg/annotations/parser.go), which
//   ignores unknown keys, so a misspelt key would be dropped silently: these schemas are strict.
// - a backend on port `use-annotation` runs `actions.<backend name>`; conditions apply to the
//   backend of that name: pkg/ingress/enhanced_backend_builder.go.
// - rule order: paths of a rule sorted Exact, then Prefix by length (stable), then the rest;
//   Prefix `/` matches `/*`, another prefix `p` gives `p` and `p/*`: pkg/ingress/model_build_listener_rules.go.
// - ALB limits on conditions: docs/guide/ingress/annotations.md, "conditions".

const weight = z.int().min(0).max(999);
const targetGroupTuple = z.strictObject({ serviceName: z.string().min(1), servicePort: z.union([z.string().min(1), z.int()]), weight: weight.optional() });
const forward = z
    .strictObject({ type: z.literal("forward"), forwardConfig: z.strictObject({ targetGroups: z.array(targetGroupTuple).min(1) }) })
    .refine((a) => a.forwardConfig.targetGroups.length === 1 || a.forwardConfig.targetGroups.every((t) => t.weight !== undefined), {
        error: "weight must be set when route to multiple target groups",
    });
const fixedResponse = z.strictObject({
    type: z.literal("fixed-response"),
    fixedResponseConfig: z.strictObject({ contentType: z.string().optional(), messageBody: z.string().optional(), statusCode: z.string().min(1) }),
});
export const actionSchema = z.union([forward, fixedResponse]);
export type Action = z.infer<typeof actionSchema>;

const valuesXorRegex = (c: { values?: string[]; regexValues?: string[] }) => (c.values?.length ?? 0) > 0 !== (c.regexValues?.length ?? 0) > 0;
const httpHeader = z.strictObject({
    field: z.literal("http-header"),
    httpHeaderConfig: z.strictObject({ httpHeaderName: z.string().min(1), values: z.array(z.string()).optional(), regexValues: z.array(z.string()).optional() }).refine(valuesXorRegex),
});
const sourceIp = z.strictObject({ field: z.literal("source-ip"), sourceIPConfig: z.strictObject({ values: z.array(z.cidrv4()).min(1) }) });
export const conditionsSchema = z.array(z.union([httpHeader, sourceIp]));
export type Condition = z.infer<typeof conditionsSchema>[number];

const prefix = "alb.ingress.kubernetes.io/";

/** One listener rule as the controller builds it from one Ingress path. */
export interface ListenerRule {
    readonly backend: string;
    readonly hosts: string[];
    readonly paths: string[];
    readonly conditions: Condition[];
    readonly action: Action;
}

/** The listener rules of an Ingress, in priority order, every annotation decoded strictly; throws on what the controller would reject. */
export function listenerRules(ingress: KubernetesObject, services: KubernetesObject[]): ListenerRule[] {
    const annotations = (ingress.metadata.annotations ?? {}) as Record<string, string>;
    const rules: ListenerRule[] = [];
    for (const rule of (ingress as any).spec.rules as any[]) {
        const all = rule.http.paths as any[];
        const prefixes = all.filter((p) => p.pathType === "Prefix").sort((a, b) => b.path.length - a.path.length);
        const paths = [...all.filter((p) => p.pathType === "Exact"), ...prefixes, ...all.filter((p) => p.pathType !== "Exact" && p.pathType !== "Prefix")];
        for (const path of paths) {
            const { name, port } = path.backend.service;
            const conditions = annotations[`${prefix}conditions.${name}`] === undefined ? [] : conditionsSchema.parse(JSON.parse(annotations[`${prefix}conditions.${name}`]));
            let action: Action;
            if (port.name === "use-annotation") {
                const raw = annotations[`${prefix}actions.${name}`];
                if (raw === undefined) {
                    throw new Error(`missing actions.${name} configuration`);
                }
                action = actionSchema.parse(JSON.parse(raw));
            } else {
                action = { type: "forward", forwardConfig: { targetGroups: [{ serviceName: name, servicePort: port.name ?? port.number }] } };
            }
            if (action.type === "forward") {
                for (const group of action.forwardConfig.targetGroups) {
                    const service = services.find((s) => s.metadata.name === group.serviceName && s.metadata.namespace === ingress.metadata.namespace) as any;
                    if (!service?.spec.ports.some((p: any) => p.name === group.servicePort || p.port === group.servicePort)) {
                        throw new Error(`forward to ${group.serviceName}:${group.servicePort}, which no Service in the namespace offers`);
                    }
                }
            }
            const pathPatterns = path.path === "/" ? ["/*"] : [path.path.replace(/\/$/, ""), `${path.path.replace(/\/$/, "")}/*`];
            rules.push({ backend: name, hosts: rule.host ? [rule.host] : [], paths: pathPatterns, conditions, action });
        }
    }
    return rules;
}

/** The ALB's limits on a rule: one source-ip condition, 3 values a condition, 5 match evaluations a rule. */
export function ruleLimitProblems(rule: ListenerRule): string[] {
    const valuesOf = (c: Condition) => (c.field === "source-ip" ? c.sourceIPConfig.values : (c.httpHeaderConfig.values ?? c.httpHeaderConfig.regexValues ?? []));
    const problems: string[] = [];
    if (rule.conditions.filter((c) => c.field === "source-ip").length > 1) {
        problems.push(`${rule.backend}: more than one source-ip condition`);
    }
    for (const condition of rule.conditions) {
        if (valuesOf(condition).length > 3) {
            problems.push(`${rule.backend}: ${condition.field} with more than 3 values`);
        }
    }
    const evaluations = rule.hosts.length + rule.paths.length + rule.conditions.reduce((n, c) => n + valuesOf(c).length, 0);
    if (evaluations > 5) {
        problems.push(`${rule.backend}: ${evaluations} match evaluations, above 5`);
    }
    return problems;
}

function inCidr(ip: string, cidr: string): boolean {
    const toNumber = (address: string) => address.split(".").reduce((n, octet) => n * 256 + Number(octet), 0);
    const [base, bits] = cidr.split("/");
    const size = 2 ** (32 - Number(bits));
    return Math.floor(toNumber(ip) / size) === Math.floor(toNumber(base) / size);
}

/** A request as the rules see it: from an address, with or without headers. */
export interface Request {
    readonly sourceIp: string;
    readonly headers?: Record<string, string>;
}

/** The action of the first rule that matches the request (host and path always match here). */
export function route(rules: ListenerRule[], request: Request): ListenerRule {
    const matches = (condition: Condition) =>
        condition.field === "source-ip"
            ? condition.sourceIPConfig.values.some((cidr) => inCidr(request.sourceIp, cidr))
            : (condition.httpHeaderConfig.values ?? []).includes(request.headers?.[condition.httpHeaderConfig.httpHeaderName] ?? "\u0000");
    const rule = rules.find((r) => r.conditions.every(matches));
    if (!rule) {
        throw new Error("no rule matches");
    }
    return rule;
}

/** Where a rule sends requests: each Service's share of 100, or the fixed response's status. */
export function destination(rule: ListenerRule): Record<string, number> | { status: string } {
    if (rule.action.type === "fixed-response") {
        return { status: rule.action.fixedResponseConfig.statusCode };
    }
    const groups = rule.action.forwardConfig.targetGroups;
    const total = groups.reduce((sum, g) => sum + (g.weight ?? 1), 0);
    return Object.fromEntries(groups.map((g) => [g.serviceName, total === 0 ? 0 : ((g.weight ?? 1) * 100) / total]));
}
