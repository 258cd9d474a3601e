import type { InstanceArgs } from "@pulumi/aws/rds/instance";
import { containersOf, podSpecOf, workloadTypes } from "./pods";
import { itemsOf, shapeOf, textOf } from "./shapes";
import type { PropertyPath, ResourceRule, ReviewedResource } from "./types";

const configMap = "kubernetes:core/v1:ConfigMap";
const kubernetesSecret = "kubernetes:core/v1:Secret";
const dbInstance = "aws:rds/instance:Instance";
const stack = "pulumi:pulumi:Stack";

/**
 * Names that hold a credential. `*_FILE` and `*_PATH` say where one is mounted (the safe way);
 * `*_NAME`, `*_ARN` and `*_REF` name a secret without holding it.
 */
export function namesCredential(name: string): boolean {
    return /(passw(or)?d|secret|token|api_?key|private_?key|credential|access_?key)/i.test(name) && !/_(file|path|dir|name|arn|ref)$/i.test(name);
}

/** Stack outputs that grant access: credentials, and the kubeconfig (cluster-admin for whoever reads it). */
function outputGrantsAccess(name: string): boolean {
    return namesCredential(name) || /kubeconfig/i.test(name);
}

/** `postgres://user:pass@host/db`: a URL that carries its password. */
export function carriesPassword(value: string): boolean {
    return /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i.test(value);
}

function literalProblem(where: string, name: string, value: unknown): string | undefined {
    const text = typeof value === "string" ? value : "";
    if (text === "") {
        return undefined;
    }
    if (carriesPassword(text)) {
        return `${where} ${name} is a URL with a password in plain text: put it in a Secret and reference it`;
    }
    return namesCredential(name) ? `${where} ${name} is a credential in plain text: reference a Secret (valueFrom.secretKeyRef or a mounted file)` : undefined;
}

export const k8sNoSecretLiterals: ResourceRule = {
    kind: "resource",
    name: "k8s-no-secret-literals",
    description: "Credentials reach pods only from Secrets: never as literal env values or ConfigMap entries, which are readable in state and by anyone who can read the object.",
    enforcement: { dev: "mandatory", production: "mandatory" },
    resourceTypes: [...workloadTypes, configMap],
    check: (resource) => {
        if (resource.type === configMap) {
            const data = (resource.props.data ?? {}) as Record<string, unknown>;
            return Object.keys(data).flatMap((key) => literalProblem("ConfigMap key", key, data[key]) ?? []);
        }
        const pod = podSpecOf(resource);
        return (pod ? containersOf(pod) : []).flatMap(({ container, label }) =>
            itemsOf(container.env).flatMap((variable) => literalProblem(`${label} env`, textOf(variable?.name), variable?.value) ?? []),
        );
    },
};

/** Every path below `value` whose key names something that grants access, e.g. `["database", "password"]`. */
function credentialPaths(value: unknown, path: PropertyPath = []): PropertyPath[] {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        return [];
    }
    return Object.entries(value).flatMap(([key, inner]) =>
        outputGrantsAccess(key) ? [[...path, key]] : credentialPaths(inner, [...path, key]),
    );
}

/** The properties of a resource that must travel as secrets. */
function mustBeSecret(resource: ReviewedResource): PropertyPath[] {
    switch (resource.type) {
        case dbInstance: {
            const db = shapeOf<InstanceArgs>(resource);
            return (["password", "passwordWo"] as const).filter((field) => db[field] !== undefined).map((field) => [field]);
        }
        case kubernetesSecret:
            return (["data", "stringData"] as const).flatMap((field) =>
                Object.keys((resource.props[field] ?? {}) as Record<string, unknown>).map((key) => [field, key]),
            );
        default:
            return credentialPaths(resource.props);
    }
}

/** The properties that must travel as secrets and do not; none where secret marks are not visible. */
function unsealed(resource: ReviewedResource): PropertyPath[] {
    const isSecret = resource.isSecret;
    return isSecret ? mustBeSecret(resource).filter((path) => !isSecret(path)) : [];
}

export const secretsMarkedSecret: ResourceRule = {
    kind: "resource",
    name: "secrets-marked-secret",
    description:
        "The database password, Kubernetes Secret data and credential-like stack outputs are Pulumi secrets, encrypted in state and masked in output. Under the engine the policy seals a plain value as a secret (remediation); offline, where nothing can fix it, a plain value stops the update.",
    enforcement: { dev: "remediate", production: "remediate" },
    resourceTypes: [dbInstance, kubernetesSecret, stack],
    unsealed,
    check: (resource) => unsealed(resource).map((path) => `${path.join(".")} is not a secret: it is stored in plain text in the state and printed by pulumi`),
};

export const secretsRules: readonly ResourceRule[] = [k8sNoSecretLiterals, secretsMarkedSecret];
