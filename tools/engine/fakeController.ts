import { createHash } from "crypto";
import { type FakeTargetGroup, fakeAccountId, fakeClusterName } from "./fakeAccount";
import { kubernetesManifests } from "./manifests";
import type { Rendered } from "./model";

// What the AWS Load Balancer Controller v3.5.0 would have made for a render's Ingresses once
// deployed: a target group per backend Service and port, tagged as pkg/deploy/tracking/provider.go
// says (`elbv2.k8s.aws/cluster`, `ingress.k8s.aws/stack`: the group.name annotation or
// `<namespace>/<ingress>`, `ingress.k8s.aws/resource`: `<namespace>/<ingress>-<service>:<port>`,
// pkg/ingress/model_build_target_group.go `buildTargetGroupResourceID`). Backends on port
// `use-annotation` take their Services from the `actions.<name>` forward config
// (pkg/ingress/enhanced_backend_builder.go); fixed responses and redirects have none.

const annotationPrefix = "alb.ingress.kubernetes.io";

interface Backend {
    service?: { name: string; port?: { name?: string; number?: number } };
}

interface ForwardAction {
    type?: string;
    forwardConfig?: { targetGroups?: { serviceName?: string; servicePort?: string | number }[] };
}

/** The Services and ports an Ingress backend sends to. */
function backendTargets(backend: Backend, annotations: Record<string, string>): { service: string; port: string }[] {
    const service = backend.service;
    if (!service) {
        return [];
    }
    if (service.port?.name !== "use-annotation") {
        return [{ service: service.name, port: String(service.port?.name ?? service.port?.number) }];
    }
    const action = JSON.parse(annotations[`${annotationPrefix}/actions.${service.name}`] ?? "{}") as ForwardAction;
    return (action.type === "forward" ? (action.forwardConfig?.targetGroups ?? []) : [])
        .filter((group) => group.serviceName !== undefined)
        .map((group) => ({ service: String(group.serviceName), port: String(group.servicePort) }));
}

/** The target groups the controller would have tagged for every Ingress of `rendered`, in the render's own cluster and region. */
export function controllerTargetGroups(rendered: Rendered): FakeTargetGroup[] {
    const cluster = fakeClusterName(rendered.project, rendered.stack);
    const region = String(rendered.resources.find((r) => r.type === "pulumi:providers:aws")?.inputs.region ?? "us-east-1");
    const groups = new Map<string, FakeTargetGroup>();
    for (const { object } of kubernetesManifests(rendered).filter((m) => m.object.kind === "Ingress")) {
        const { name = "", namespace = "default", annotations = {} } = object.metadata;
        const stack = annotations[`${annotationPrefix}/group.name`] ?? `${namespace}/${name}`;
        const spec = object.spec as { rules?: { http?: { paths?: { backend: Backend }[] } }[]; defaultBackend?: Backend } | undefined;
        const backends = [...(spec?.rules ?? []).flatMap((rule) => (rule.http?.paths ?? []).map((p) => p.backend)), ...(spec?.defaultBackend ? [spec.defaultBackend] : [])];
        for (const target of backends.flatMap((backend) => backendTargets(backend, annotations))) {
            const resource = `${namespace}/${name}-${target.service}:${target.port}`;
            const id = createHash("sha256").update(`${cluster} ${stack} ${resource}`).digest("hex").slice(0, 16);
            groups.set(resource, {
                arn: `arn:aws:elasticloadbalancing:${region}:${fakeAccountId}:targetgroup/k8s-${id.slice(0, 10)}/${id}`,
                tags: { "elbv2.k8s.aws/cluster": cluster, "ingress.k8s.aws/stack": stack, "ingress.k8s.aws/resource": resource },
            });
        }
    }
    return [...groups.values()];
}
