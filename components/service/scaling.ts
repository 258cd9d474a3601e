import type * as k8s from "@pulumi/kubernetes";
import type { ServiceSettings } from "../../config/sections/services";
import { podFloor } from "./colors";
import { podSelector, type Track, trackName } from "./labels";

/**
 * The Deployment's `replicas`: without an HPA the configured count (default the autoscaling floor);
 * with one, the track's floor, which only a create uses: {@link hpaOwnedFields} keeps every later
 * update from touching the count.
 */
export function deploymentReplicas(settings: ServiceSettings, track: Track): number {
    return settings.autoscaling.enabled ? podFloor(settings, track) : (settings.replicas ?? settings.autoscaling.minReplicas);
}

/**
 * What the Deployment's updates leave alone while an HPA scales it. Dropping `replicas` from the
 * applied object instead would reset the count to 1 whenever no other manager owns it yet (turning
 * autoscaling on, or an HPA that never wrote it): server-side apply resets a removed field nobody
 * else owns to its default (kubernetes.io/docs/reference/using-api/server-side-apply/#transferring-ownership).
 * Ignored, the engine sends the value it last recorded, or none when it recorded none
 * (pulumi/pulumi pkg/resource/deploy/step_generator.go, processIgnoreChanges), and the provider
 * drops it where the HPA owns it or sends the live count where it does not
 * (pulumi/pulumi-kubernetes v4.32.0 provider/pkg/await/await.go, handleSSAIgnoreFields): the pod
 * count stays what it is, and a second `up` plans nothing.
 */
export function hpaOwnedFields(settings: ServiceSettings): string[] {
    return settings.autoscaling.enabled ? ["spec.replicas"] : [];
}

/**
 * The Deployment annotations that let an apply take `replicas` back from an HPA: turning autoscaling
 * off applies the count while the HPA's manager still owns the field (the HPA is deleted after the
 * Deployment's update), and server-side apply refuses that with a conflict unless forced
 * (pulumi/pulumi-kubernetes v4.32.0 provider/pkg/await/await.go, patchForce: the
 * `pulumi.com/patchForce` annotation). Only where the program owns the count: under an HPA the
 * count is ignored and nothing is to be taken back.
 */
export function countOwnerAnnotations(settings: ServiceSettings): Record<string, string> | undefined {
    return settings.autoscaling.enabled ? undefined : { "pulumi.com/patchForce": "true" };
}

/** Scale on CPU and memory; up fast, down slowly, so a burst does not flap the pod count; never below the track's floor. */
export function hpaSpec(settings: ServiceSettings, track: Track): k8s.types.input.autoscaling.v2.HorizontalPodAutoscalerSpec {
    const target = (name: string, averageUtilization: number) => ({ type: "Resource", resource: { name, target: { type: "Utilization", averageUtilization } } });
    return {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: trackName(settings.name, track) },
        minReplicas: podFloor(settings, track),
        maxReplicas: settings.autoscaling.maxReplicas,
        metrics: [target("cpu", settings.autoscaling.cpuPercent), target("memory", settings.autoscaling.memoryPercent)],
        behavior: {
            scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: "Max", policies: [{ type: "Percent", value: 100, periodSeconds: 30 }, { type: "Pods", value: 4, periodSeconds: 30 }] },
            scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: "Min", policies: [{ type: "Percent", value: 20, periodSeconds: 60 }] },
        },
    };
}

/** At most one pod of a track down at a time through voluntary disruptions: a node still drains. */
export function pdbSpec(settings: ServiceSettings, track: Track): k8s.types.input.policy.v1.PodDisruptionBudgetSpec {
    return { maxUnavailable: 1, selector: { matchLabels: podSelector(settings.name, track) } };
}
