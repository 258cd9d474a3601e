import { strict as assert } from "assert";
import { irsaTrustPolicy } from "../../components/cluster/irsa";
import { controlPlaneLogTypes, kubernetesVersions } from "../../config/sections/cluster";
import { isSecret } from "../../tools/engine/wire";
import { fakeAccountId } from "../../tools/engine/fakeAccount";
import { render, stacks } from "../harness";

const eksCluster = "eks:index:Cluster";
const nodeGroup = "aws:eks/nodeGroup:NodeGroup";
const addon = "aws:eks/addon:Addon";
const role = "aws:iam/role:Role";

describe("cluster", () => {
    for (const stack of stacks) {
        describe(`${stack} stack`, () => {
            it("runs a Kubernetes version in standard support", async () => {
                const cluster = (await render(stack)).one(eksCluster);
                assert.ok((kubernetesVersions as readonly unknown[]).includes(cluster.inputs.version));
            });

            it("authenticates through access entries only, and brings no self-managed default nodes", async () => {
                const cluster = (await render(stack)).one(eksCluster);
                assert.equal(cluster.inputs.authenticationMode, "API");
                assert.equal(cluster.inputs.skipDefaultNodeGroup, true);
                assert.equal(cluster.inputs.nodeAssociatePublicIpAddress, false);
            });

            it("encrypts Secrets with its own rotating KMS key", async () => {
                const q = await render(stack);
                const key = q.sourceOf(q.one(eksCluster), "encryptionConfigKeyArn");
                assert.equal(key.type, "aws:kms/key:Key");
                assert.equal(key.inputs.enableKeyRotation, true);
            });

            it("issues IRSA tokens through an OIDC provider", async () => {
                assert.equal((await render(stack)).one(eksCluster).inputs.createOidcProvider, true);
            });

            it("keeps the API reachable privately from the VPC", async () => {
                assert.equal((await render(stack)).one(eksCluster).inputs.endpointPrivateAccess, true);
            });

            it("places the control plane and every node group in the private subnets", async () => {
                const q = await render(stack);
                const privateSubnets = (nodes: string[]) => nodes.map((urn) => q.get(urn)).every((s) => (s.inputs.tags as Record<string, string>).tier === "private");
                const cluster = q.one(eksCluster);
                assert.ok(privateSubnets(cluster.propertyDependencies.privateSubnetIds));
                for (const group of q.ofType(nodeGroup)) {
                    assert.ok(privateSubnets(group.propertyDependencies.subnetIds), group.name);
                }
                const covered = new Set(q.ofType(nodeGroup).flatMap((g) => g.inputs.subnetIds as string[]));
                assert.equal(covered.size, (q.outputs.availabilityZones as string[]).length, "nodes can run in every zone");
            });

            it("requires IMDSv2 with a hop limit of 1 and encrypts every node's root volume", async () => {
                const q = await render(stack);
                for (const group of q.ofType(nodeGroup)) {
                    const template = q.sourceOf(group, "launchTemplate");
                    assert.deepEqual(template.inputs.metadataOptions, { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 });
                    const [device] = template.inputs.blockDeviceMappings as { ebs: { encrypted: string; volumeType: string } }[];
                    assert.equal(device.ebs.encrypted, "true");
                    assert.equal(device.ebs.volumeType, "gp3");
                }
            });

            it("replaces a group's nodes at least one at a time", async () => {
                for (const group of (await render(stack)).ofType(nodeGroup)) {
                    assert.ok(Number((group.inputs.updateConfig as { maxUnavailable: number }).maxUnavailable) >= 1);
                }
            });

            it("installs the managed add-ons, with network policy enforcement in the VPC CNI", async () => {
                const q = await render(stack);
                const names = q.ofType(addon).map((a) => a.inputs.addonName);
                assert.deepEqual(names.sort(), ["amazon-cloudwatch-observability", "coredns", "eks-pod-identity-agent", "kube-proxy", "metrics-server", "vpc-cni"]);
                const cni = q.ofType(addon).find((a) => a.inputs.addonName === "vpc-cni");
                assert.deepEqual(JSON.parse(cni?.inputs.configurationValues as string), { enableNetworkPolicy: "true" });
            });

            it("every Kubernetes resource goes through the cluster's own provider", async () => {
                const q = await render(stack);
                const provider = q.one("pulumi:providers:kubernetes");
                assert.equal(q.sourceOf(provider, "kubeconfig").type, eksCluster);
                const kubernetes = q.resources.filter((r) => r.type.startsWith("kubernetes:") && r.custom);
                assert.ok(kubernetes.length > 0);
                for (const resource of kubernetes) {
                    assert.equal(resource.provider, provider.urn, resource.name);
                }
            });

            it("exports the kubeconfig as a secret", async () => {
                assert.ok(isSecret((await render(stack)).outputs.kubeconfig));
            });

            it("labels workload namespaces with the restricted Pod Security level", async () => {
                const [namespace] = (await render(stack)).objects("Namespace");
                const labels = namespace.metadata?.labels ?? {};
                assert.equal(labels["pod-security.kubernetes.io/warn"], "restricted");
                assert.equal(labels["pod-security.kubernetes.io/enforce"], stack === "production" ? "restricted" : undefined);
            });

            it("starts the load balancer controller and the autoscaler only once nodes and pod networking exist", async () => {
                const q = await render(stack);
                for (const release of q.ofType("kubernetes:helm.sh/v3:Release")) {
                    for (const group of q.ofType(nodeGroup)) {
                        assert.ok(q.waitsFor(release, group), `${release.name} waits for ${group.name}`);
                    }
                }
            });
        });
    }

    it("ships every control-plane log type in production and the audit log in dev", async () => {
        assert.deepEqual((await render("production")).one(eksCluster).inputs.enabledClusterLogTypes, [...controlPlaneLogTypes]);
        assert.deepEqual((await render("dev")).one(eksCluster).inputs.enabledClusterLogTypes, ["audit"]);
    });

    it("turns the public API endpoint off in production unless CIDRs are listed", async () => {
        const cluster = (await render("production")).one(eksCluster);
        assert.equal(cluster.inputs.endpointPublicAccess, false);
        const opened = (await render("production", { "platform:cluster.publicAccessCidrs": ["203.0.113.0/24"] })).one(eksCluster);
        assert.equal(opened.inputs.endpointPublicAccess, true);
        assert.deepEqual(opened.inputs.publicAccessCidrs, ["203.0.113.0/24"]);
    });

    it("runs production on an on-demand group of at least three nodes, and dev on spot", async () => {
        const system = (await render("production")).ofType(nodeGroup);
        assert.ok(system.every((g) => g.inputs.capacityType === "ON_DEMAND"));
        assert.ok(system.reduce((sum, g) => sum + (g.inputs.scalingConfig as { minSize: number }).minSize, 0) >= 3);
        const [spot] = (await render("dev")).ofType(nodeGroup);
        assert.equal(spot.inputs.capacityType, "SPOT");
    });

    it("hands the stack's AWS provider to the EKS component by name, not only through its parent", async () => {
        // pulumi-eks 4.3.0 builds the component's children with `{ parent, provider: opts?.provider }`, and
        // Pulumi.yaml disables the default AWS provider: the children must find it on the component.
        for (const stack of stacks) {
            const q = await render(stack);
            const vpcProvider = q.one("aws:ec2/vpc:Vpc").provider;
            assert.ok(vpcProvider?.includes("pulumi:providers:aws"), stack);
            assert.equal(q.one(eksCluster).providers?.aws, vpcProvider, stack);
        }
    });

    it("protects the production cluster from deletion", async () => {
        assert.equal((await render("production")).one(eksCluster).inputs.deletionProtection, true);
        assert.equal((await render("dev")).one(eksCluster).inputs.deletionProtection, false);
    });

    it("makes exactly the listed roles admins through access entries, whoever runs the update", async () => {
        // EKS makes the creator admin on its own (pulumi-eks 4.3.0 nodejs/eks/cluster/cluster.ts,
        // bootstrapClusterCreatorAdminPermissions: true); the stack's entries never depend on the caller.
        const admin = `arn:aws:iam::${fakeAccountId}:role/platform-admins`;
        const ci = `arn:aws:iam::${fakeAccountId}:role/platform-ci`;
        const policy = { admin: { policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", accessScope: { type: "cluster" } } };
        for (const callerRoleName of ["platform-ci", "platform-admins", "someone-else"]) {
            const cluster = (await render("dev", { "platform:cluster.adminRoleArns": [admin, ci] }, { callerRoleName })).one(eksCluster);
            assert.deepEqual(cluster.inputs.accessEntries, { "platform-admins": { principalArn: admin, accessPolicies: policy }, "platform-ci": { principalArn: ci, accessPolicies: policy } }, callerRoleName);
        }
    });

    it("lets CI's preview roles read the cluster, and nothing more, so a preview runs the checks an update runs", async () => {
        // Without an entry EKS refuses the role, pulumi-kubernetes marks the cluster unreachable and its preview skips
        // checks (provider/pkg/provider/provider.go: "Cluster is unreachable, skipping replaceUnready check").
        const preview = `arn:aws:iam::${fakeAccountId}:role/platform-preview`;
        const admin = `arn:aws:iam::${fakeAccountId}:role/platform-admins`;
        const cluster = (await render("production", { "platform:cluster.viewerRoleArns": [preview], "platform:cluster.adminRoleArns": [admin] })).one(eksCluster);
        const entries = cluster.inputs.accessEntries as Record<string, { principalArn: string; accessPolicies: Record<string, { policyArn: string; accessScope: { type: string } }> }>;
        assert.deepEqual(entries["platform-preview"], {
            principalArn: preview,
            accessPolicies: { view: { policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy", accessScope: { type: "cluster" } } },
        });
        assert.equal(entries["platform-admins"].accessPolicies.admin.policyArn, "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy");
    });

    it("runs the add-on version a stack pins, and otherwise lets EKS choose once, at creation", async () => {
        // addon_version is Optional+Computed (terraform-provider-aws internal/service/eks/addon.go): unset, the
        // state keeps what EKS installed, where a looked-up default would move with EKS at every preview.
        const q = await render("dev", { "platform:cluster.addonVersions": { coredns: "v1.12.1-eksbuild.2" } });
        const versions = Object.fromEntries(q.ofType(addon).map((a) => [a.inputs.addonName, a.inputs.addonVersion]));
        assert.equal(versions.coredns, "v1.12.1-eksbuild.2");
        for (const name of ["vpc-cni", "kube-proxy", "eks-pod-identity-agent", "metrics-server", "amazon-cloudwatch-observability"]) {
            assert.equal(versions[name], undefined, name);
        }
    });

    it("lets only the controller's own service account assume each IRSA role", async () => {
        const q = await render("production");
        const trusted = q
            .ofType(role)
            .map((r) => JSON.parse(r.inputs.assumeRolePolicy as string))
            .filter((policy) => policy.Statement[0].Action === "sts:AssumeRoleWithWebIdentity")
            .map((policy) => Object.entries(policy.Statement[0].Condition.StringEquals).find(([key]) => key.endsWith(":sub"))?.[1]);
        assert.deepEqual(trusted.sort(), [
            "system:serviceaccount:amazon-cloudwatch:cloudwatch-agent",
            "system:serviceaccount:kube-system:aws-load-balancer-controller",
            "system:serviceaccount:kube-system:aws-node",
            "system:serviceaccount:kube-system:cluster-autoscaler",
        ]);
    });

    it("writes IRSA trust for one issuer, one service account and the STS audience", () => {
        const policy = JSON.parse(irsaTrustPolicy("arn:aws:iam::1:oidc-provider/oidc.example/id/X", "https://oidc.example/id/X", { namespace: "ns", name: "sa" }));
        assert.deepEqual(policy.Statement[0].Condition.StringEquals, {
            "oidc.example/id/X:sub": "system:serviceaccount:ns:sa",
            "oidc.example/id/X:aud": "sts.amazonaws.com",
        });
        assert.equal(policy.Statement[0].Principal.Federated, "arn:aws:iam::1:oidc-provider/oidc.example/id/X");
    });
});
