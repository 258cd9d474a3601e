import type * as k8s from "@pulumi/kubernetes";
import type { ServiceSettings } from "../../config/sections/services";
import { podFloor } from "./colors";
import { podSelector, type Track, trackName } from "./labels";

/** The Deployment's own replica count: none when an HPA owns it, else the configured count or the autoscaling floor. */
export function fixedReplicas(settings: ServiceSettings): number | undefined {
    return settings.autoscaling.enabled ? undefined : (settings.replicas ?? settings.autoscaling.minReplicas);
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
