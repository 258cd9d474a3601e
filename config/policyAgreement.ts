import type { z } from "zod";
import { parseImageReference } from "../components/image/reference";
import { eksControlPlaneLogging, eksEndpointRestricted, requiredLogTypes } from "../policy/rules/cluster";
import { minimumBackupDays, rdsBackupRetention, rdsMultiAz } from "../policy/rules/database";
import { k8sNoPublicPreview } from "../policy/rules/ingress";
import { stopsUpdate } from "../policy/rules/review";
import type { Enforcement, Rule } from "../policy/rules/types";
import { k8sImageByDigest } from "../policy/rules/workloads";
import type { CrossRule, Sections } from "./crossSection";
import type { Profile } from "./profile";
import type { ClusterSettings } from "./sections/cluster";

// The policy pack's rules that a config value alone can break, checked here first so a stack
// that the pack would stop is refused before anything is registered, naming the key. Each check
// reads the rule's own thresholds and enforcement: the rule is the one source of truth.

type Issue = (path: PropertyKey[], input: unknown, message: string) => void;

/** True when the rule stops an update of this profile: only then must the config refuse what breaks it. */
const stops = (rule: Rule, profile: Profile) => stopsUpdate(rule.enforcement[profile] as Enforcement);

function backupAgreement({ profile, database }: Sections, issue: Issue): void {
    const minimum = minimumBackupDays[profile];
    if (stops(rdsBackupRetention, profile) && database.backupRetentionDays < minimum) {
        issue(["database", "backupRetentionDays"], database.backupRetentionDays, `is below the ${minimum} day${minimum === 1 ? "" : "s"} a ${profile} database keeps (policy ${rdsBackupRetention.name})`);
    }
}

function multiAzAgreement({ profile, database }: Sections, issue: Issue): void {
    if (stops(rdsMultiAz, profile) && !database.multiAz) {
        issue(["database", "multiAz"], database.multiAz, `is refused in ${profile}: a zone outage would take the database down (policy ${rdsMultiAz.name})`);
    }
}

function logTypesAgreement({ profile, cluster }: Sections, issue: Issue): void {
    const missing = requiredLogTypes[profile].filter((type) => !cluster.logTypes.includes(type as ClusterSettings["logTypes"][number]));
    if (stops(eksControlPlaneLogging, profile) && missing.length > 0) {
        issue(["cluster", "logTypes"], cluster.logTypes, `lacks ${missing.join(", ")}: a ${profile} cluster ships ${requiredLogTypes[profile].join(", ")} (policy ${eksControlPlaneLogging.name})`);
    }
}

function endpointAgreement({ profile, cluster }: Sections, issue: Issue): void {
    if (stops(eksEndpointRestricted, profile)) {
        cluster.publicAccessCidrs.forEach((cidr, i) => {
            if (/\/0$/.test(cidr)) {
                issue(["cluster", "publicAccessCidrs", i], cidr, `opens the ${profile} Kubernetes API to the whole internet; list the CIDRs that deploy (policy ${eksEndpointRestricted.name})`);
            }
        });
    }
}

function imageDigestAgreement({ profile, services }: Sections, issue: Issue): void {
    services.forEach((service, i) => {
        if (stops(k8sImageByDigest, profile) && service.image !== undefined && parseImageReference(service.image).digest === undefined) {
            issue(["services", i, "image"], service.image, `has no digest: ${profile} runs images by digest (name:tag@sha256:<digest>) (policy ${k8sImageByDigest.name})`);
        }
    });
}

function previewAgreement({ profile, services }: Sections, issue: Issue): void {
    if (!stops(k8sNoPublicPreview, profile)) {
        return;
    }
    services.forEach((service, i) => {
        if (service.strategy !== "blueGreen" || !service.ingress.enabled) {
            return;
        }
        service.blueGreen.preview.sourceCidrs.forEach((cidr, j) => {
            if (/\/0$/.test(cidr)) {
                issue(["services", i, "blueGreen", "preview", "sourceCidrs", j], cidr, `opens the ${profile} preview of the idle color to the whole internet; list the CIDRs your smoke tests run from (policy ${k8sNoPublicPreview.name})`);
            }
        });
    });
}

const reporting =
    (check: (settings: Sections, issue: Issue) => void) =>
    (settings: Sections, ctx: z.RefinementCtx): void =>
        check(settings, (path, input, message) => ctx.addIssue({ code: "custom", path, input, message }));

/** Refuses the config values that would make a policy rule stop the update of the stack's profile. */
export const policyAgreementRules: readonly CrossRule[] = [
    { reads: ["profile", "database.backupRetentionDays"], check: reporting(backupAgreement) },
    { reads: ["profile", "database.multiAz"], check: reporting(multiAzAgreement) },
    { reads: ["profile", "cluster.logTypes"], check: reporting(logTypesAgreement) },
    { reads: ["profile", "cluster.publicAccessCidrs"], check: reporting(endpointAgreement) },
    { reads: ["profile", "services"], check: reporting(imageDigestAgreement) },
    { reads: ["profile", "services"], check: reporting(previewAgreement) },
];

/** The rules the config refuses breaking values for, and the keys it names (here or in the sections and cross-section rules). */
export const rulesRefusedByConfig: Readonly<Record<string, readonly string[]>> = {
    "rds-backup-retention": ["database.backupRetentionDays"],
    "rds-multi-az": ["database.multiAz"],
    "eks-control-plane-logging": ["cluster.logTypes"],
    "eks-endpoint-restricted": ["cluster.publicAccessCidrs"],
    "k8s-no-secret-literals": ["services[].env"],
    "k8s-image-by-digest": ["services[].image"],
    "k8s-no-latest-tag": ["services[].image", "services[].release.version", "services[].release.colors"],
    "k8s-probes": ["services[].probes.livenessPath", "services[].release.colors"],
    "k8s-ingress-tls": ["services[].ingress.certificateArn"],
    "k8s-no-public-preview": ["services[].blueGreen.preview.sourceCidrs"],
    "secrets-marked-secret": ["platform:serviceSecrets"],
};

/** The rules no config value can break: the components always build what they require. */
export const rulesNoConfigReaches: Readonly<Record<string, string>> = {
    "vpc-flow-logs": "the Network component always creates the flow log",
    "vpc-default-security-group-closed": "the Network component always adopts and empties the default security group",
    "eks-secrets-encryption": "the Cluster component always encrypts Secrets with its KMS key",
    "eks-nodes-imdsv2": "node groups always run the launch template requiring IMDSv2",
    "rds-not-public": "the Database component never makes the instance public",
    "rds-encrypted-with-kms": "the Database component always encrypts with its KMS key",
    "rds-deletion-protection": "the profile, not a key, turns deletion protection on",
    "rds-final-snapshot": "the profile, not a key, names the final snapshot",
    "rds-protected": "the profile, not a key, sets protect",
    "rds-forces-tls": "the parameter group always sets rds.force_ssl",
    "ecr-scan-on-push": "repositories always scan on push",
    "ecr-immutable-tags": "repositories always have immutable tags",
    "ecr-kms-encryption": "the profile, not a key, picks KMS",
    "ecr-lifecycle-policy": "every repository gets its lifecycle policy",
    "k8s-resources": "every container gets its requests and limits (with defaults)",
    "k8s-restricted-security-context": "the container's security context is fixed",
    "k8s-pdb-per-deployment": "every track gets a budget of maxUnavailable 1",
    "k8s-namespace-default-deny": "every service namespace gets its default-deny policy",
};
