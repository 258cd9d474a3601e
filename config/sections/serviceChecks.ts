import { secretFileEnv } from "../../components/service/container";
import { configData } from "../../components/service/service";
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

/** Variables the platform sets in every container itself: a service's own `env` entry of that name would be dropped. */
export function platformEnvNames(service: ServiceSettings): string[] {
    return [...Object.keys(configData({ ...service, env: {} }, true)), ...secretFileEnv(service, true).map((variable) => variable.name)];
}

export function envProblems(service: ServiceSettings, issue: Issue): void {
    const taken = new Set(platformEnvNames(service));
    for (const name of Object.keys(service.env)) {
        if (taken.has(name)) {
            issue(["env", name], service.env[name], "is a variable the platform sets itself; the value would be dropped: choose another name");
        }
    }
}

/**
 * Credentials in plain env values, which policy k8s-no-secret-literals stops in every profile (its
 * own tests of names and URLs decide). The value is never echoed.
 */
export function credentialProblems(service: ServiceSettings, issue: Issue): void {
    for (const [name, value] of Object.entries(service.env)) {
        if (namesCredential(name)) {
            issue(["env", name], undefined, `reads as a credential and env values are plain text: list ${name} in secrets and set its value with pulumi config set --secret (policy ${k8sNoSecretLiterals.name})`);
        } else if (carriesPassword(value)) {
            issue(["env", name], undefined, `is a URL carrying a password: put it in secrets (policy ${k8sNoSecretLiterals.name})`);
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
 * What a release names must be something the service can run: the version of its strategy only
 * (a rolling service has no colors, a blue/green one no single version), and for a prebuilt image
 * its own tag or digest (another one is another image: change `image`).
 */
export function releaseProblems(service: ServiceSettings, issue: Issue): void {
    const { release } = service;
    const pinned: [PropertyKey[], string][] = [];
    if (service.strategy === "rolling") {
        for (const color of Object.keys(release.versions) as (keyof typeof release.versions)[]) {
            if (release.versions[color] !== undefined) {
                issue(["release", "versions", color], release.versions[color], "is set on a rolling service, which has no colors; use release.version");
            }
        }
        if (release.version !== undefined) {
            pinned.push([["release", "version"], release.version]);
        }
    } else {
        if (release.version !== undefined) {
            issue(["release", "version"], release.version, "is set on a blue/green service, which runs a version per color; use release.versions.<color>");
        }
        for (const [color, version] of Object.entries(release.versions)) {
            if (version !== undefined) {
                pinned.push([["release", "versions", color], version]);
            }
        }
    }
    for (const [at, version] of pinned) {
        if (version === "latest") {
            issue(at, version, "is the moving tag latest, which names another image after every push; name a fixed tag or a sha256: digest");
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
