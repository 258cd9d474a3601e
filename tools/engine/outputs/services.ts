import type { OutputSynthesizer } from "./types";

/** Outputs of the services resources the program reads back, as the fake cloud reports them. */
export const servicesOutputs: Record<string, OutputSynthesizer> = {
    // The load balancer controller reports the ALB it made for the Ingress's group.
    "kubernetes:networking.k8s.io/v1:Ingress": (name, inputs, region) => {
        const group = inputs.metadata?.annotations?.["alb.ingress.kubernetes.io/group.name"] ?? name;
        return { status: { loadBalancer: { ingress: [{ hostname: `k8s-${group}.${region}.elb.amazonaws.com` }] } } };
    },
};
