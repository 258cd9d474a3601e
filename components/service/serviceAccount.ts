import type { ServiceSettings } from "../../config/sections/services";

/** The ServiceAccount annotation that makes EKS hand its pods credentials for an IAM role (IRSA). */
export const roleArnAnnotation = "eks.amazonaws.com/role-arn";

/** What a service's ServiceAccount carries: its IRSA role, and whether its pods get a Kubernetes API token. */
export interface ServiceAccountSpec {
    readonly annotations?: Record<string, string>;
    readonly automountServiceAccountToken: boolean;
}

/**
 * The API token is mounted only for a service that calls the Kubernetes API. IRSA does not need
 * it: the EKS pod identity webhook projects its own STS-audience token into the pods.
 */
export function serviceAccountSpec(settings: ServiceSettings): ServiceAccountSpec {
    const { iamRoleArn, kubernetesApi } = settings.serviceAccount;
    return {
        ...(iamRoleArn ? { annotations: { [roleArnAnnotation]: iamRoleArn } } : {}),
        automountServiceAccountToken: kubernetesApi,
    };
}
