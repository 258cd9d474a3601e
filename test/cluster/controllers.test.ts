import { strict as assert } from "assert";
import { autoscalerChart, autoscalerImageTags } from "../../components/cluster/autoscaler";
import { kubernetesApiClusterIp, serviceCidrFor } from "../../components/cluster/serviceNetwork";
import { parseBlock } from "../../components/network/subnetPlan";
import { kubernetesVersions } from "../../config/sections/cluster";
import type { RenderedResource } from "../../tools/engine/model";
import type { RenderQuery } from "../../tools/engine/query";
import { render, stacks } from "../harness";

const eksCluster = "eks:index:Cluster";
const nodeGroup = "aws:eks/nodeGroup:NodeGroup";
const release = (q: RenderQuery, chart: string) => q.ofType("kubernetes:helm.sh/v3:Release").find((r) => r.inputs.chart === chart) as RenderedResource;
const zoneOfSubnet = (q: RenderQuery, urn: string) => q.get(urn).inputs.availabilityZone as string;

describe("the cluster across its lifetime", () => {
    for (const stack of stacks) {
        it(`${stack}: stays on EKS standard support, never silently moving to paid extended support`, async () => {
            // pulumi-eks 4.3.0 ClusterOptions.upgradePolicy: "Defaults to EXTENDED".
            assert.deepEqual((await render(stack)).one(eksCluster).inputs.upgradePolicy, { supportType: "STANDARD" });
        });

        it(`${stack}: builds its kubeconfig from nothing the caller's environment holds`, async () => {
            // pulumi-eks 4.3.0 createCluster: without providerCredentialOpts, AWS_PROFILE goes into the kubeconfig.
            assert.deepEqual((await render(stack)).one(eksCluster).inputs.providerCredentialOpts, {});
        });

        it(`${stack}: runs the Cluster Autoscaler release of the cluster's Kubernetes minor`, async () => {
            for (const version of kubernetesVersions) {
                const q = await render(stack, { "platform:cluster.version": version });
                const values = release(q, autoscalerChart.chart).inputs.values as any;
                assert.match(values.image.tag, new RegExp(`^v${version.replace(".", "\\.")}\\.\\d+$`));
                assert.equal(q.one(eksCluster).inputs.version, version);
                assert.ok(q.ofType(nodeGroup).every((g) => g.inputs.version === version));
            }
        });

        it(`${stack}: keeps one load balancer controller up through a node drain, and leaves Services alone`, async () => {
            const values = release(await render(stack), "aws-load-balancer-controller").inputs.values as any;
            assert.ok(values.replicaCount > 1, "the chart makes a PDB only for more than one replica (templates/pdb.yaml)");
            assert.deepEqual(values.podDisruptionBudget, { maxUnavailable: 1 });
            assert.equal(values.enableServiceMutatorWebhook, false);
        });
    }

    it("pins an autoscaler image for every Kubernetes version the config allows, matching its minor", () => {
        assert.deepEqual(Object.keys(autoscalerImageTags).sort(), [...kubernetesVersions].sort());
        for (const [version, tag] of Object.entries(autoscalerImageTags)) {
            assert.ok(tag.startsWith(`v${version}.`), `${version}: ${tag}`);
        }
    });

    it("gives production one node group per zone, so the autoscaler can add a node where a strictly spread pod waits", async () => {
        // kubernetes/autoscaler cluster-autoscaler/FAQ.md: for zone-bound scheduling, "use separate node groups per zone".
        const q = await render("production");
        const [deployment] = q.objects("Deployment") as any[];
        const zoneSpread = deployment.spec.template.spec.topologySpreadConstraints.find((c: any) => c.topologyKey === "topology.kubernetes.io/zone");
        assert.equal(zoneSpread.whenUnsatisfiable, "DoNotSchedule");
        const groups = q.ofType(nodeGroup);
        const byZone = new Map<string, RenderedResource[]>();
        for (const group of groups) {
            const zones = new Set(group.propertyDependencies.subnetIds.map((urn) => zoneOfSubnet(q, urn)));
            assert.equal(zones.size, 1, `${group.name} is in one zone`);
            const [zone] = zones;
            byZone.set(zone, [...(byZone.get(zone) ?? []), group]);
        }
        assert.deepEqual([...byZone.keys()].sort(), q.outputs.availabilityZones);
        const sum = (key: "minSize" | "maxSize") => groups.reduce((total, g) => total + (g.inputs.scalingConfig as Record<string, number>)[key], 0);
        assert.deepEqual([sum("minSize"), sum("maxSize")], [3, 9], "the configured sizes, split evenly");
        const values = release(q, autoscalerChart.chart).inputs.values as any;
        assert.equal(values.extraArgs["balance-similar-node-groups"], true);
    });

    it("keeps dev on one node group over both zones", async () => {
        const [group] = (await render("dev")).ofType(nodeGroup);
        assert.equal((group.inputs.subnetIds as string[]).length, 2);
    });

    it("names the Service block EKS would pick, outside the VPC, and the API's ClusterIP in it", () => {
        assert.equal(serviceCidrFor("10.0.0.0/16"), "172.20.0.0/16");
        assert.equal(serviceCidrFor("192.168.0.0/16"), "10.100.0.0/16");
        assert.equal(serviceCidrFor("172.20.0.0/16"), "10.100.0.0/16");
        assert.equal(kubernetesApiClusterIp("172.20.0.0/16"), "172.20.0.1");
        for (const vpc of ["10.0.0.0/16", "10.255.0.0/16", "172.16.0.0/16", "192.168.10.0/23"]) {
            const [a, b] = [parseBlock(vpc), parseBlock(serviceCidrFor(vpc))];
            const overlap = a.address < b.address + 2 ** (32 - b.prefix) && b.address < a.address + 2 ** (32 - a.prefix);
            assert.ok(!overlap, `${vpc} and ${serviceCidrFor(vpc)}`);
        }
    });
});
