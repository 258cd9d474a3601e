import type { Profile } from "../../config/profile";
import type { Rendered, RenderedResource } from "../../tools/engine/model";
import type { EngineResource } from "./crossGuard";

// For every rule of the pack: a small stack that breaks it and one that keeps it, in a profile
// where the rule is enforced. The same resources go through the offline check and through
// CrossGuard's own runner (test/policy/crossGuard.ts), in the render's notation.

/** One resource of a case; `from` names, per property, the resources of the case its value came from. */
export interface CaseResource {
    type: string;
    name: string;
    inputs: Record<string, unknown>;
    /** State for AnalyzeStack when it differs from the inputs (the stack's outputs). */
    outputs?: Record<string, unknown>;
    protect?: boolean;
    from?: Record<string, string[]>;
}

export interface RuleCase {
    profile: Profile;
    compliant: CaseResource[];
    violating: CaseResource[];
}

const stackUrn = "urn:pulumi:test::platform::pulumi:pulumi:Stack::platform-test";
const urnOf = (resource: { type: string; name: string }) => (resource.type === "pulumi:pulumi:Stack" ? stackUrn : `urn:pulumi:test::platform::${resource.type}::${resource.name}`);

function dependenciesOf(resource: CaseResource, all: readonly CaseResource[]): Record<string, string[]> {
    return Object.fromEntries(
        Object.entries(resource.from ?? {}).map(([property, names]) => [property, names.map((name) => urnOf(all.find((r) => r.name === name) as CaseResource))]),
    );
}

/** A case's resources as the engine hands them to the analyzer. */
export function engineResources(resources: readonly CaseResource[]): EngineResource[] {
    return resources.map((resource) => ({
        urn: urnOf(resource),
        type: resource.type,
        name: resource.name,
        inputs: resource.inputs,
        ...(resource.outputs ? { outputs: resource.outputs } : {}),
        protect: resource.protect ?? false,
        propertyDependencies: dependenciesOf(resource, resources),
    }));
}

/** A case's resources as the offline render records them (the stack's outputs on the stack resource). */
export function renderedCase(resources: readonly CaseResource[]): Rendered {
    const stack = resources.find((r) => r.type === "pulumi:pulumi:Stack");
    const registered = resources.map(
        (resource): RenderedResource => ({
            urn: urnOf(resource),
            type: resource.type,
            name: resource.name,
            custom: resource.type !== "pulumi:pulumi:Stack",
            remote: false,
            inputs: resource.inputs,
            options: resource.protect === undefined ? {} : { protect: resource.protect },
            dependencies: Object.values(dependenciesOf(resource, resources)).flat(),
            propertyDependencies: dependenciesOf(resource, resources),
        }),
    );
    return { project: "platform", stack: "test", resources: registered, outputs: stack?.outputs ?? {} };
}

// ---- Fixtures: each built as the platform's components build it, so the compliant side is real.

const keyArn = "arn:aws:kms:eu-west-1:123456789012:key/platform";
const digest = `sha256:${"a".repeat(64)}`;
const image = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/platform-production/api@${digest}`;
const labels = { "app.kubernetes.io/name": "api", "platform.io/color": "blue" };
const certificate = "arn:aws:acm:eu-west-1:123456789012:certificate/0f6d6c2e-1111-2222-3333-444455556666";

type Props = Record<string, unknown>;
const merge = (base: Props, over: Props): Props => ({ ...base, ...over });

const vpc: CaseResource = { type: "aws:ec2/vpc:Vpc", name: "vpc", inputs: { cidrBlock: "10.0.0.0/16" } };
const flowLog: CaseResource = { type: "aws:ec2/flowLog:FlowLog", name: "flow-log", inputs: { vpcId: "vpc-1", trafficType: "ALL" }, from: { vpcId: ["vpc"] } };
const closedGroup: CaseResource = { type: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", name: "default-sg", inputs: { vpcId: "vpc-1" }, from: { vpcId: ["vpc"] } };

const eksCluster = (over: Props = {}): CaseResource => ({
    type: "eks:index:Cluster",
    name: "cluster",
    inputs: merge(
        {
            encryptionConfigKeyArn: keyArn,
            enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
            endpointPrivateAccess: true,
            endpointPublicAccess: true,
            publicAccessCidrs: ["203.0.113.0/24"],
            skipDefaultNodeGroup: true,
        },
        over,
    ),
});
const launchTemplate = (over: Props = {}): CaseResource => ({
    type: "aws:ec2/launchTemplate:LaunchTemplate",
    name: "nodes",
    inputs: { metadataOptions: merge({ httpTokens: "required", httpPutResponseHopLimit: 1, httpEndpoint: "enabled" }, over) },
});

const database = (over: Props = {}, protect = true): CaseResource => ({
    type: "aws:rds/instance:Instance",
    name: "db",
    protect,
    inputs: merge(
        {
            engine: "postgres",
            publiclyAccessible: false,
            storageEncrypted: true,
            kmsKeyId: keyArn,
            multiAz: true,
            deletionProtection: true,
            backupRetentionPeriod: 14,
            skipFinalSnapshot: false,
            finalSnapshotIdentifier: "platform-production-postgres-final",
            password: { "@secret": "generated" },
        },
        over,
    ),
});
const parameterGroup = (value: string): CaseResource => ({
    type: "aws:rds/parameterGroup:ParameterGroup",
    name: "db-params",
    inputs: { family: "postgres17", parameters: [{ name: "rds.force_ssl", value }] },
});

const repository = (over: Props = {}): CaseResource => ({
    type: "aws:ecr/repository:Repository",
    name: "repository",
    inputs: merge(
        { name: "platform-production/api", imageTagMutability: "IMMUTABLE", imageScanningConfiguration: { scanOnPush: true }, encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: keyArn }] },
        over,
    ),
});
const lifecyclePolicy: CaseResource = { type: "aws:ecr/lifecyclePolicy:LifecyclePolicy", name: "lifecycle", inputs: { repository: "platform-production/api", policy: "{}" }, from: { repository: ["repository"] } };

const container = (over: Props = {}): Props =>
    merge(
        {
            name: "api",
            image,
            resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { cpu: "1", memory: "512Mi" } },
            startupProbe: { httpGet: { path: "/health/startup", port: "http" } },
            readinessProbe: { httpGet: { path: "/health/ready", port: "http" } },
            livenessProbe: { httpGet: { path: "/health/live", port: "http" } },
            securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: 10001, capabilities: { drop: ["ALL"] } },
            env: [{ name: "LOG_LEVEL", value: "info" }],
        },
        over,
    );
const deployment = (containerOver: Props = {}, spec: Props = {}): CaseResource => ({
    type: "kubernetes:apps/v1:Deployment",
    name: "api-blue",
    inputs: {
        metadata: { name: "api-blue", namespace: "api" },
        spec: merge(
            {
                selector: { matchLabels: labels },
                template: { metadata: { labels }, spec: { securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } }, containers: [container(containerOver)] } },
            },
            spec,
        ),
    },
});
const autoscaler = (minReplicas: number): CaseResource => ({
    type: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
    name: "api-blue-hpa",
    inputs: { metadata: { name: "api-blue", namespace: "api" }, spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "api-blue" }, minReplicas, maxReplicas: 10 } },
});
const budget = (spec: Props): CaseResource => ({
    type: "kubernetes:policy/v1:PodDisruptionBudget",
    name: "api-blue-pdb",
    inputs: { metadata: { name: "api-blue", namespace: "api" }, spec: merge({ selector: { matchLabels: labels } }, spec) },
});
const namespace: CaseResource = { type: "kubernetes:core/v1:Namespace", name: "api", inputs: { metadata: { name: "api" } } };
const networkPolicy = (spec: Props): CaseResource => ({
    type: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    name: "api-default-deny",
    inputs: { metadata: { name: "default-deny", namespace: "api" }, spec },
});

const albAnnotations = {
    "alb.ingress.kubernetes.io/scheme": "internet-facing",
    "alb.ingress.kubernetes.io/target-type": "ip",
    "alb.ingress.kubernetes.io/listen-ports": JSON.stringify([{ HTTP: 80 }, { HTTPS: 443 }]),
    "alb.ingress.kubernetes.io/certificate-arn": certificate,
    "alb.ingress.kubernetes.io/ssl-redirect": "443",
};
const ingress = (annotations: Props, backend = "api"): CaseResource => ({
    type: "kubernetes:networking.k8s.io/v1:Ingress",
    name: "api",
    inputs: {
        metadata: { name: "api", namespace: "api", annotations },
        spec: { ingressClassName: "alb", rules: [{ host: "api.example.com", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: backend, port: { name: "use-annotation" } } } }] } }] },
    },
});
const previewConditions = (conditions: unknown[]) => ({ ...albAnnotations, "alb.ingress.kubernetes.io/conditions.api-preview": JSON.stringify(conditions) });
const headerCondition = { field: "http-header", httpHeaderConfig: { httpHeaderName: "X-Platform-Preview", values: ["true"] } };
const sourceCondition = (...values: string[]) => ({ field: "source-ip", sourceIPConfig: { values } });

const configMap = (data: Props): CaseResource => ({ type: "kubernetes:core/v1:ConfigMap", name: "api-config", inputs: { metadata: { name: "api-config", namespace: "api" }, data } });
const kubernetesSecret = (stringData: Props): CaseResource => ({
    type: "kubernetes:core/v1:Secret",
    name: "api-database",
    inputs: { metadata: { name: "api-database", namespace: "api" }, type: "Opaque", stringData },
});
const stackWith = (outputs: Props): CaseResource => ({ type: "pulumi:pulumi:Stack", name: "platform-test", inputs: {}, outputs });

/** Every rule of the pack, by name: what breaks it and what keeps it. */
export const ruleCases: Readonly<Record<string, RuleCase>> = {
    "vpc-flow-logs": { profile: "dev", compliant: [vpc, flowLog], violating: [vpc] },
    "vpc-default-security-group-closed": {
        profile: "dev",
        compliant: [vpc, closedGroup],
        violating: [vpc, { ...closedGroup, inputs: { vpcId: "vpc-1", ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, self: true }] } }],
    },
    "eks-secrets-encryption": { profile: "dev", compliant: [eksCluster()], violating: [eksCluster({ encryptionConfigKeyArn: undefined })] },
    "eks-control-plane-logging": { profile: "production", compliant: [eksCluster()], violating: [eksCluster({ enabledClusterLogTypes: ["audit"] })] },
    "eks-endpoint-restricted": { profile: "production", compliant: [eksCluster()], violating: [eksCluster({ publicAccessCidrs: ["0.0.0.0/0"] })] },
    "eks-nodes-imdsv2": { profile: "production", compliant: [launchTemplate()], violating: [launchTemplate({ httpTokens: "optional" })] },
    "ec2-imds-hop-limit": { profile: "production", compliant: [launchTemplate()], violating: [launchTemplate({ httpPutResponseHopLimit: 2 })] },
    "rds-not-public": { profile: "dev", compliant: [database()], violating: [database({ publiclyAccessible: true })] },
    "rds-encrypted-with-kms": { profile: "dev", compliant: [database()], violating: [database({ kmsKeyId: undefined })] },
    "rds-backup-retention": { profile: "production", compliant: [database()], violating: [database({ backupRetentionPeriod: 7 })] },
    "rds-multi-az": { profile: "production", compliant: [database()], violating: [database({ multiAz: false })] },
    "rds-deletion-protection": { profile: "production", compliant: [database()], violating: [database({ deletionProtection: false })] },
    "rds-final-snapshot": { profile: "production", compliant: [database()], violating: [database({ skipFinalSnapshot: true })] },
    "rds-protected": { profile: "production", compliant: [database()], violating: [database({}, false)] },
    "rds-forces-tls": { profile: "dev", compliant: [parameterGroup("1")], violating: [parameterGroup("0")] },
    "ecr-scan-on-push": { profile: "dev", compliant: [repository()], violating: [repository({ imageScanningConfiguration: { scanOnPush: false } })] },
    "ecr-immutable-tags": { profile: "dev", compliant: [repository()], violating: [repository({ imageTagMutability: "MUTABLE" })] },
    "ecr-kms-encryption": { profile: "production", compliant: [repository()], violating: [repository({ encryptionConfigurations: [{ encryptionType: "AES256" }] })] },
    "ecr-lifecycle-policy": { profile: "production", compliant: [repository(), lifecyclePolicy], violating: [repository()] },
    "k8s-probes": { profile: "dev", compliant: [deployment()], violating: [deployment({ startupProbe: undefined })] },
    "k8s-resources": { profile: "dev", compliant: [deployment()], violating: [deployment({ resources: { requests: { cpu: "250m" } } })] },
    "k8s-restricted-security-context": {
        profile: "production",
        compliant: [deployment()],
        violating: [deployment({ securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: true, capabilities: { drop: ["ALL"] }, readOnlyRootFilesystem: true } })],
    },
    "k8s-image-by-digest": { profile: "production", compliant: [deployment()], violating: [deployment({ image: "nginx:1.27.3" })] },
    "k8s-no-latest-tag": { profile: "dev", compliant: [deployment()], violating: [deployment({ image: "nginx:latest" })] },
    // The HPA owns the count, so the Deployment carries no spec.replicas: the fewest pods are the HPA's minReplicas.
    "k8s-pdb-per-deployment": {
        profile: "production",
        compliant: [deployment(), autoscaler(2), budget({ maxUnavailable: 1 })],
        violating: [deployment(), autoscaler(2), budget({ minAvailable: 2 })],
    },
    "k8s-namespace-default-deny": {
        profile: "dev",
        compliant: [namespace, deployment(), networkPolicy({ podSelector: {}, policyTypes: ["Ingress", "Egress"] })],
        violating: [namespace, deployment(), networkPolicy({ podSelector: {}, policyTypes: ["Ingress"] })],
    },
    "k8s-ingress-tls": {
        profile: "production",
        compliant: [ingress(albAnnotations)],
        violating: [ingress({ ...albAnnotations, "alb.ingress.kubernetes.io/listen-ports": JSON.stringify([{ HTTP: 80 }]), "alb.ingress.kubernetes.io/certificate-arn": "" })],
    },
    "k8s-no-public-preview": {
        profile: "production",
        compliant: [ingress(previewConditions([headerCondition, sourceCondition("203.0.113.0/24")]), "api-preview")],
        violating: [ingress(previewConditions([headerCondition]), "api-preview")],
    },
    "k8s-no-secret-literals": {
        profile: "dev",
        compliant: [deployment(), configMap({ PORT: "8080" })],
        violating: [deployment({ env: [{ name: "DB_PASSWORD", value: "hunter2" }] }), configMap({ PORT: "8080" })],
    },
    // Remediating: under the engine the plain value comes back sealed; offline it stops the update.
    "secrets-marked-secret": {
        profile: "production",
        compliant: [kubernetesSecret({ host: { "@secret": "db" }, password: { "@secret": "generated" } }), stackWith({ kubeconfig: { "@secret": "apiVersion: v1" } })],
        violating: [kubernetesSecret({ host: { "@secret": "db" }, password: "hunter2" })],
    },
};

/** Where the violating case of a remediating rule must come back sealed. */
export const sealedPaths: Readonly<Record<string, readonly (readonly string[])[]>> = {
    "secrets-marked-secret": [["stringData", "password"]],
};
