import type { PlatformConfig } from "../config";
import type { ServiceSettings, Strategy } from "../config/sections/services";
import { albGroupName, clusterName } from "./naming";
import { ingressName, type Track, trackName } from "./service/names";

// How the AWS Load Balancer Controller v3.5.0 tags the target groups it makes for an Ingress
// (pkg/deploy/tracking/provider.go): `elbv2.k8s.aws/cluster: <cluster>` (pkg/shared_constants/tag_keys.go),
// `ingress.k8s.aws/stack: <group>` for an explicit IngressGroup (`GroupID.String`, pkg/ingress/group.go),
// `ingress.k8s.aws/resource: <namespace>/<ingress>-<service>:<port>` (`buildTargetGroupResourceID`,
// pkg/ingress/model_build_target_group.go; the port as the backend names it, pkg/ingress/enhanced_backend_builder.go).

/** The tag keys the controller puts on every target group of an Ingress. */
export const controllerTagKeys = { cluster: "elbv2.k8s.aws/cluster", stack: "ingress.k8s.aws/stack", resource: "ingress.k8s.aws/resource" } as const;

/** The Service port every Ingress backend of a service names (components/service/ingress.ts). */
const backendPort = "http";

/** The `ingress.k8s.aws/resource` tag of a track's target group (the namespace is the service's name, components/cluster/namespaces.ts). */
export function targetGroupResourceId(service: string, track: Track): string {
    return `${service}/${ingressName(service)}-${trackName(service, track)}:${backendPort}`;
}

const tracksOfStrategy: Record<Strategy, readonly Track[]> = { rolling: ["rolling"], blueGreen: ["blue", "green"] };

/**
 * The strategy a service's ALB serves today, read from its target groups' tags; undefined when it
 * has none (a new service, or one without an Ingress) or both (a switch already under way).
 */
export function deployedStrategy(config: Pick<PlatformConfig, "project" | "stack">, service: string, targetGroupTags: readonly Record<string, string>[]): Strategy | undefined {
    const ids = new Set(
        targetGroupTags
            .filter((tags) => tags[controllerTagKeys.cluster] === clusterName(config) && tags[controllerTagKeys.stack] === albGroupName(config, service))
            .map((tags) => tags[controllerTagKeys.resource]),
    );
    const serving = (Object.keys(tracksOfStrategy) as Strategy[]).filter((strategy) => tracksOfStrategy[strategy].some((track) => ids.has(targetGroupResourceId(service, track))));
    return serving.length === 1 ? serving[0] : undefined;
}

/**
 * A deployed service whose `strategy` changes loses its traffic for that update: its Ingress drops
 * the old track's backend, and the controller deletes that target group at once, without
 * deregistration delay, while the new tracks' target groups have no healthy targets yet
 * (v3.5.0 docs/guide/use_cases/blue_green/index.md, "Migrating between services without downtime").
 * Refused, one line per service, unless `acceptStrategySwitchOutage` names the new strategy.
 */
export function strategySwitchProblems(
    config: Pick<PlatformConfig, "project" | "stack"> & { services: readonly Pick<ServiceSettings, "name" | "strategy" | "acceptStrategySwitchOutage" | "ingress">[] },
    targetGroupTags: readonly Record<string, string>[]): string[] {
    return config.services.flatMap((service, i) => {
        if (!service.ingress.enabled) {
            return [];
        }
        const deployed = deployedStrategy(config, service.name, targetGroupTags);
        if (deployed === undefined || deployed === service.strategy || service.acceptStrategySwitchOutage === service.strategy) {
            return [];
        }
        return [
            `services[${i}].strategy: ${JSON.stringify(service.strategy)} switches ${service.name}, deployed ${JSON.stringify(deployed)} (its ALB target group ${targetGroupResourceId(service.name, tracksOfStrategy[deployed][0])} in cluster ${clusterName(config)}), in one update: the ALB drops the old target group at once and the new one has no healthy targets until the new pods pass their health checks, so ${service.name} answers 503 meanwhile. Allowed: ${JSON.stringify(deployed)} (as deployed); or accept that outage for this switch: pulumi config set --path 'services[${i}].acceptStrategySwitchOutage' ${service.strategy} (docs/services.md, "Switching strategy")`,
        ];
    });
}
