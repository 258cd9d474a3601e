import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { Profile } from "../../config";
import type { ServiceSettings } from "../../config/sections/services";
import { container } from "./container";
import { podSelector, type Track, trackLabels } from "./labels";
import { deploymentReplicas } from "./scaling";
import { serviceAccountSpec } from "./serviceAccount";

type DeploymentSpec = k8s.types.input.apps.v1.DeploymentSpec;

export interface DeploymentInputs {
    readonly settings: ServiceSettings;
    readonly profile: Profile;
    readonly track: Track;
    readonly image: pulumi.Input<string>;
    /** The track's immutable ConfigMap, named by its content: a change of config is a new name, which rolls the track's pods. */
    readonly configMap: pulumi.Input<string>;
    readonly databaseSecret?: pulumi.Input<string>;
    readonly appSecret?: pulumi.Input<string>;
    readonly serviceAccount: pulumi.Input<string>;
}

/** Spread over zones (strictly in production) and hosts, so one failure takes few pods. */
export function topologySpread(service: string, track: Track, profile: Profile): k8s.types.input.core.v1.TopologySpreadConstraint[] {
    const labelSelector = { matchLabels: podSelector(service, track) };
    return [
        { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: profile === "production" ? "DoNotSchedule" : "ScheduleAnyway", labelSelector },
        { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector },
    ];
}

/**
 * A track's Deployment, made from the track's own settings. An autoscaled Deployment is created
 * at the HPA's floor and leaves `replicas` to the HPA after (`hpaOwnedFields`); a stuck rollout fails `pulumi up`.
 */
export function deploymentSpec(inputs: DeploymentInputs): DeploymentSpec {
    const { settings, track } = inputs;
    const selector = podSelector(settings.name, track);
    const volumes: k8s.types.input.core.v1.Volume[] = [{ name: "tmp", emptyDir: { sizeLimit: settings.resources.limits.ephemeralStorage } }];
    if (inputs.databaseSecret) {
        volumes.push({ name: "database", secret: { secretName: inputs.databaseSecret, defaultMode: 0o440 } });
    }
    if (inputs.appSecret) {
        volumes.push({ name: "secrets", secret: { secretName: inputs.appSecret, defaultMode: 0o440 } });
    }
    return {
        replicas: deploymentReplicas(settings, track),
        selector: { matchLabels: selector },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: settings.rollout.maxSurge, maxUnavailable: settings.rollout.maxUnavailable } },
        minReadySeconds: settings.rollout.minReadySeconds,
        progressDeadlineSeconds: settings.rollout.progressDeadlineSeconds,
        revisionHistoryLimit: 5,
        template: {
            metadata: { labels: { ...trackLabels(settings.name, track), ...selector } },
            spec: {
                serviceAccountName: inputs.serviceAccount,
                automountServiceAccountToken: serviceAccountSpec(settings).automountServiceAccountToken,
                securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: "RuntimeDefault" } },
                terminationGracePeriodSeconds: settings.shutdown.terminationGracePeriodSeconds,
                topologySpreadConstraints: topologySpread(settings.name, track, inputs.profile),
                containers: [container(settings, inputs.image, inputs.configMap, inputs.databaseSecret !== undefined)],
                volumes,
            },
        },
    };
}
