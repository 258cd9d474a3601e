import { strict as assert } from "assert";
import { render, stacks } from "../harness";

const roleArn = "arn:aws:iam::123456789012:role/api-reads-s3";
const vpcCidrOf = async (stack: string) => (await render(stack)).one("aws:ec2/vpc:Vpc").inputs.cidrBlock;
const allowPolicy = (q: Awaited<ReturnType<typeof render>>) => q.objects("NetworkPolicy", "api")[0] as any;
const httpsWithinVpc = (policy: any, vpcCidr: unknown) =>
    policy.spec.egress.some((rule: any) => rule.ports.some((p: any) => p.port === 443) && rule.to.some((t: any) => t.ipBlock?.cidr === vpcCidr));

describe("a service's ServiceAccount", () => {
    for (const stack of stacks) {
        it(`${stack}: gives the pods no Kubernetes API token and no HTTPS egress by default`, async () => {
            const q = await render(stack);
            const [account] = q.objects("ServiceAccount", "api") as any[];
            assert.equal(account.automountServiceAccountToken, false);
            assert.equal(account.metadata.annotations?.["eks.amazonaws.com/role-arn"], undefined);
            assert.ok(!httpsWithinVpc(allowPolicy(q), await vpcCidrOf(stack)));
        });
    }

    it("carries the IRSA role and admits HTTPS within the VPC (the STS endpoint), still without an API token", async () => {
        const q = await render("production", { "platform:services[0].serviceAccount.iamRoleArn": roleArn });
        const [account] = q.objects("ServiceAccount", "api") as any[];
        assert.equal(account.metadata.annotations["eks.amazonaws.com/role-arn"], roleArn);
        assert.equal(account.automountServiceAccountToken, false);
        for (const deployment of q.objects("Deployment") as any[]) {
            assert.equal(deployment.spec.template.spec.automountServiceAccountToken, false, deployment.metadata.name);
            assert.equal(deployment.spec.template.spec.serviceAccountName, "api");
        }
        assert.ok(httpsWithinVpc(allowPolicy(q), await vpcCidrOf("production")));
    });

    it("mounts the API token only for a service that calls the Kubernetes API, and lets it reach the API endpoints", async () => {
        const q = await render("dev", { "platform:services[0].serviceAccount.kubernetesApi": true });
        assert.equal((q.objects("ServiceAccount", "api")[0] as any).automountServiceAccountToken, true);
        assert.equal((q.objects("Deployment", "api")[0] as any).spec.template.spec.automountServiceAccountToken, true);
        assert.ok(httpsWithinVpc(allowPolicy(q), await vpcCidrOf("dev")));
    });
});
