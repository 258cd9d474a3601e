import { strict as assert } from "assert";
import type { RenderQuery } from "../../tools/engine/query";
import { render, stacks } from "../harness";

const roleArn = "arn:aws:iam::123456789012:role/api-reads-s3";
const allowPolicy = (q: RenderQuery) => q.objects("NetworkPolicy", "api")[0] as any;
/** The destinations the pods may open 443 to. */
const httpsTo = (q: RenderQuery): string[] =>
    allowPolicy(q).spec.egress.filter((rule: any) => rule.ports.some((p: any) => p.port === 443)).flatMap((rule: any) => rule.to.map((t: any) => t.ipBlock?.cidr));
const subnetCidrs = (q: RenderQuery, tier: string) =>
    q.ofType("aws:ec2/subnet:Subnet").filter((s) => (s.inputs.tags as Record<string, string>).tier === tier).map((s) => s.inputs.cidrBlock as string);

describe("a service's ServiceAccount", () => {
    for (const stack of stacks) {
        it(`${stack}: gives the pods no Kubernetes API token and no HTTPS egress by default`, async () => {
            const q = await render(stack);
            const [account] = q.objects("ServiceAccount", "api") as any[];
            assert.equal(account.automountServiceAccountToken, false);
            assert.equal(account.metadata.annotations?.["eks.amazonaws.com/role-arn"], undefined);
            assert.deepEqual(httpsTo(q), []);
        });
    }

    it("carries the IRSA role and admits HTTPS to the STS endpoint in the private subnets, still without an API token", async () => {
        const q = await render("production", { "platform:services[0].serviceAccount.iamRoleArn": roleArn });
        const [account] = q.objects("ServiceAccount", "api") as any[];
        assert.equal(account.metadata.annotations["eks.amazonaws.com/role-arn"], roleArn);
        assert.equal(account.automountServiceAccountToken, false);
        for (const deployment of q.objects("Deployment") as any[]) {
            assert.equal(deployment.spec.template.spec.automountServiceAccountToken, false, deployment.metadata.name);
            assert.equal(deployment.spec.template.spec.serviceAccountName, "api");
        }
        assert.deepEqual(httpsTo(q), subnetCidrs(q, "private"));
    });

    it("reaches STS through the NAT where the VPC has no STS endpoint (dev), or IRSA could not get credentials", async () => {
        const q = await render("dev", { "platform:services[0].serviceAccount.iamRoleArn": roleArn });
        assert.ok(!q.ofType("aws:ec2/vpcEndpoint:VpcEndpoint").some((e) => String(e.inputs.serviceName).endsWith(".sts")));
        assert.deepEqual(httpsTo(q), ["0.0.0.0/0"]);
    });

    it("mounts the API token only for a service that calls the Kubernetes API, and lets it reach the API's ClusterIP and endpoints", async () => {
        const q = await render("dev", { "platform:services[0].serviceAccount.kubernetesApi": true });
        assert.equal((q.objects("ServiceAccount", "api")[0] as any).automountServiceAccountToken, true);
        assert.equal((q.objects("Deployment", "api")[0] as any).spec.template.spec.automountServiceAccountToken, true);
        // Pods dial the `kubernetes` Service (172.20.0.1 in a 10.0.0.0/8 VPC, the block the cluster names);
        // the VPC CNI policy agent matches that ClusterIP and adds none for the selector-less Service.
        assert.equal(q.one("eks:index:Cluster").inputs.kubernetesServiceIpAddressRange, "172.20.0.0/16");
        assert.deepEqual(httpsTo(q), ["172.20.0.1/32", ...subnetCidrs(q, "private")]);
    });
});
