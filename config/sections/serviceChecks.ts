import { configData, secretFileEnv } from "../../components/service/container";
import { albRulesQuota, listenerRuleCount, maxPreviewCidrs, sourceCidrsPerRule } from "../../components/service/listenerRules";
import { parseImageReference, prebuiltRefFor } from "../../components/image/reference";
import { carriesPassword, k8sNoSecretLiterals, namesCredential } from "../../policy/rules/secrets";
import { countOrPercentValue } from "../rules";
import type { ServiceSettings } from "./services";

// Values of one service entry that the schema's types let through and Kubernetes, the image
// source or the platform itself would refuse or silently drop.

/** Reports one problem at a path below the service entry. */
export type Issue = (path: PropertyKey[], input: unknown, message: string) => void;

/**
 * Namespaces a service cannot take (its name is its namespace): Kubernetes' own (`kube-` is
 * reserved for them), `default`, and the ones the platform's add-ons install into (the load
 * balancer controller, autoscaler and metrics-server in kube-system; the CloudWatch
 * observability add-on in amazon-cloudwatch).
 */
export const reservedNamespaces: readonly string[] = ["default", "kube-system", "kube-public", "kube-node-lease", "amazon-cloudwatch"];

export function nameProblems(service: ServiceSettings, issue: Issue): void {
    if (reservedNamespaces.includes(service.name) || service.name.startsWith("kube-")) {
        issue(["name"], service.name, `names a namespace Kubernetes or the platform owns (${reservedNamespaces.join(", ")}, kube-*); the stack would take it over`);
    }
}

/** What a pod config gives: the service's own settings, or a color's copy as a release pinned it. */
type PodConfigValues = Pick<ServiceSettings, "env" | "secrets">;

/** Variables the platform sets in every container itself: an `env` entry of that name would be dropped. */
export function platformEnvNames(config: PodConfigValues): string[] {
    const probe = { ...(config as ServiceSettings), env: {} };
    return [...Object.keys(configData(probe, true)), ...secretFileEnv(probe, true).map((variable) => variable.name)];
}

/**
 * The env of a pod config: no variable the platform sets itself (its value would be dropped), and
 * no credential in plain text, which policy k8s-no-secret-literals stops in every profile (its own
 * tests of names and URLs decide). A value is never echoed.
 */
export function podConfigValueProblems(config: PodConfigValues, issue: Issue, at: PropertyKey[]): void {
    const taken = new Set(platformEnvNames(config));
    for (const [name, value] of Object.entries(config.env)) {
        if (taken.has(name)) {
            issue([...at, "env", name], value, "is a variable the platform sets itself; the value would be dropped: choose another name");
        } else if (namesCredential(name)) {
            issue([...at, "env", name], undefined, `reads as a credential and env values are plain text: list ${name} in secrets and set its value with pulumi config set --secret (policy ${k8sNoSecretLiterals.name})`);
        } else if (carriesPassword(value)) {
            issue([...at, "env", name], undefined, `is a URL carrying a password: put it in secrets (policy ${k8sNoSecretLiterals.name})`);
        }
    }
}

/**
 * maxSurge and maxUnavailable as the API server checks them (kubernetes/kubernetes
 * pkg/apis/apps/validation/validation.go, ValidateRollingUpdateDeployment): not both zero, in any
 * form, and maxUnavailable at most 100%.
 */
export function rolloutProblems(service: ServiceSettings, issue: Issue): void {
    const { maxSurge, maxUnavailable } = service.rollout;
    const surge = countOrPercentValue(maxSurge);
    const unavailable = countOrPercentValue(maxUnavailable);
    if (surge.value === 0 && unavailable.value === 0) {
        issue(["rollout", "maxUnavailable"], maxUnavailable, `and maxSurge ${JSON.stringify(maxSurge)} are both zero: no pod could be replaced; raise one of them`);
    }
    if (unavailable.percent && unavailable.value > 100) {
        issue(["rollout", "maxUnavailable"], maxUnavailable, "is more than 100%");
    }
}

/**
 * What a release names must be something the service can run: the field of its strategy only (a
 * rolling service runs `release.version`, a blue/green one `release.colors`), never the moving tag
 * `latest`, and for a prebuilt image its own tag or digest (another one is another image: change `image`).
 */
export function releasedVersionProblems(service: ServiceSettings, issue: Issue): void {
    const { release } = service;
    const pinned: [PropertyKey[], string][] = [];
    if (service.strategy === "rolling") {
        for (const color of Object.keys(release.colors)) {
            issue(["release", "colors", color], release.colors[color as keyof typeof release.colors]?.version, "is pinned on a rolling service, which has no colors; use release.version");
        }
        if (release.version !== undefined) {
            pinned.push([["release", "version"], release.version]);
        }
    } else {
        if (release.version !== undefined) {
            issue(["release", "version"], release.version, "is set on a blue/green service, which runs what release.colors pins per color");
        }
        for (const [color, entry] of Object.entries(release.colors)) {
            if (entry !== undefined) {
                pinned.push([["release", "colors", color, "version"], entry.version]);
            }
        }
    }
    if (service.image === undefined) {
        return;
    }
    const { tag, digest } = parseImageReference(service.image);
    for (const [at, version] of pinned) {
        if (version !== "latest" && prebuiltRefFor(service.image, version) === undefined) {
            const own = [tag, digest].filter((v) => v !== undefined).join(" or ");
            issue(at, version, `is not the version of the prebuilt image ${service.image} (${own}); to run another image, change services[].image`);
        }
    }
}

/**
 * A blue/green service must carry its weights on an Ingress, and its ALB must hold its rules: past
 * the quota the controller's reconcile fails while `pulumi up` has already succeeded.
 */
export function trafficProblems(service: ServiceSettings, issue: Issue): void {
    if (service.strategy !== "blueGreen") {
        return;
    }
    if (!service.ingress.enabled) {
        issue(["ingress", "enabled"], false, "leaves a blue/green service without the Ingress that carries its colors' weights: promote and rollback would route nothing; set ingress.enabled true, or strategy rolling");
        return;
    }
    const rules = listenerRuleCount(service);
    if (rules > albRulesQuota) {
        const cidrs = service.blueGreen.preview.sourceCidrs;
        issue(
            ["blueGreen", "preview", "sourceCidrs"],
            `${cidrs.length} CIDRs`,
            `need ${rules} listener rules (${sourceCidrsPerRule(service)} CIDRs a rule with this host and path, plus the preview-denied and live rules), above the ALB's ${albRulesQuota} rules per load balancer; list at most ${maxPreviewCidrs(service)}, e.g. wider blocks`,
        );
    }
}
