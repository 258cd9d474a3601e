import type * as k8s from "@pulumi/kubernetes";
import type { ServiceSettings } from "../../config/sections/services";
import { podFloor } from "./colors";
import { podSelector, type Track, trackName } from "./labels";

/** The pod count of a track the config fixes: `replicas`, else the autoscaling floor. */
function fixedCount(settings: ServiceSettings): number {
    return settings.replicas ?? settings.autoscaling.minReplicas;
}

/**
 * The bounds of a track's HPA. Every Deployment has one: with `autoscaling.enabled: false` its
 * bounds are both the fixed count, which the HPA enforces before it reads any metric
 * (kubernetes/kubernetes pkg/controller/podautoscaler/horizontal.go, reconcileAutoscaler:
 * "Current number of replicas below Spec.MinReplicas" / "above Spec.MaxReplicas"). So one manager,
 * the HPA, always owns the Deployment's count: turning autoscaling on or off changes HPA bounds, and
 * never hands `spec.replicas` between the HPA and the program, which server-side apply would refuse
 * as a conflict or leave at whatever the HPA last wrote.
 */
export function hpaBounds(settings: ServiceSettings, track: Track): { minReplicas: number; maxReplicas: number } {
    if (!settings.autoscaling.enabled) {
        return { minReplicas: fixedCount(settings), maxReplicas: fixedCount(settings) };
    }
    return { minReplicas: podFloor(settings, track), maxReplicas: settings.autoscaling.maxReplicas };
}

/** The Deployment's `replicas`: the HPA's floor, which only a create uses: {@link hpaOwnedFields} keeps every later update from touching the count. */
export function deploymentReplicas(settings: ServiceSettings, track: Track): number {
    return hpaBounds(settings, track).minReplicas;
}

/**
 * What the Deployment's updates leave alone: the count, which the HPA owns. Dropping `replicas`
 * from the applied object instead would reset the count to 1 whenever no other manager owns it yet
 * (an HPA that never wrote it): server-side apply resets a removed field nobody else owns to its
 * default (kubernetes.io/docs/reference/using-api/server-side-apply/#transferring-ownership).
 * Ignored, the engine sends the value it last recorded, or none when it recorded none
 * (pulumi/pulumi pkg/resource/deploy/step_generator.go, processIgnoreChanges), and the provider
 * drops it where the HPA owns it or sends the live count where it does not
 * (pulumi/pulumi-kubernetes v4.32.0 provider/pkg/await/await.go, handleSSAIgnoreFields): the pod
 * count stays what it is, and a second `up` plans nothing.
 */
export const hpaOwnedFields: readonly string[] = ["spec.replicas"];

/** Scale on CPU and memory within {@link hpaBounds}; up fast, down slowly, so a burst does not flap the pod count. */
export function hpaSpec(settings: ServiceSettings, track: Track): k8s.types.input.autoscaling.v2.HorizontalPodAutoscalerSpec {
    const target = (name: string, averageUtilization: number) => ({ type: "Resource", resource: { name, target: { type: "Utilization", averageUtilization } } });
    return {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: trackName(settings.name, track) },
        ...hpaBounds(settings, track),
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
