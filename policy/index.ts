import { PolicyPack, Secret } from "@pulumi/policy";
import { crossGuardPolicies } from "./pack";

// `pulumi preview --policy-pack policy --policy-pack-config policy/config.<stack>.json` loads this
// file: the config file sets each policy's enforcement and the stack's profile.
new PolicyPack("platform", {
    description: "Production-readiness rules of the platform: RDS, EKS, ECR, VPC and Kubernetes workloads, strict in production.",
    policies: crossGuardPolicies(Secret),
});
