import type { LaunchTemplateArgs } from "@pulumi/aws/ec2/launchTemplate";
import type { ClusterArgs as AwsClusterArgs } from "@pulumi/aws/eks/cluster";
import type { NodeGroupArgs as AwsNodeGroupArgs } from "@pulumi/aws/eks/nodeGroup";
import type { ClusterArgs } from "@pulumi/eks/cluster";
import type { ManagedNodeGroupArgs } from "@pulumi/eks/managedNodeGroup";
import {
    controlPlaneLogTypes,
    ec2ImdsHopLimit,
    eksControlPlaneLogging,
    eksEndpointRestricted,
    eksNodesImdsv2,
    eksSecretsEncryption,
} from "../../policy/rules/cluster";
import type { Shape } from "../../policy/rules/shapes";
import { assertCaught, assertClean, findings, resource } from "./fixtures";

const keyArn = "arn:aws:kms:eu-west-1:123456789012:key/cluster";

/** What the Cluster component passes `eks.Cluster` in production. */
const component: Shape<ClusterArgs> = {
    encryptionConfigKeyArn: keyArn,
    enabledClusterLogTypes: [...controlPlaneLogTypes],
    endpointPrivateAccess: true,
    endpointPublicAccess: true,
    publicAccessCidrs: ["203.0.113.0/24"],
    skipDefaultNodeGroup: true,
};

/** What `eks.Cluster` passes the control plane it creates, seen under the real engine. */
const controlPlane: Shape<AwsClusterArgs> = {
    encryptionConfig: { provider: { keyArn }, resources: ["secrets"] },
    enabledClusterLogTypes: [...controlPlaneLogTypes],
    vpcConfig: { subnetIds: ["subnet-1"], endpointPrivateAccess: true, endpointPublicAccess: false },
};

const eksCluster = (props: Shape<ClusterArgs>) => resource<ClusterArgs>("eks:index:Cluster", "cluster", { ...component, ...props });
const awsCluster = (props: Shape<AwsClusterArgs>) => resource<AwsClusterArgs>("aws:eks/cluster:Cluster", "cluster-eksCluster", { ...controlPlane, ...props });

describe("policy: EKS", () => {
    it("a cluster built to the rules passes, as the component and as the control plane under it", () => {
        for (const rule of [eksSecretsEncryption, eksControlPlaneLogging, eksEndpointRestricted, eksNodesImdsv2]) {
            assertClean(findings(rule, eksCluster({})));
        }
        for (const rule of [eksSecretsEncryption, eksControlPlaneLogging, eksEndpointRestricted]) {
            assertClean(findings(rule, awsCluster({})));
        }
    });

    it("a cluster without envelope encryption of Secrets is refused", () => {
        assertCaught(findings(eksSecretsEncryption, eksCluster({ encryptionConfigKeyArn: undefined })), /encryptionConfigKeyArn is not set/);
        assertCaught(
            findings(eksSecretsEncryption, awsCluster({ encryptionConfig: { provider: { keyArn }, resources: [] } })),
            /does not encrypt "secrets"/,
        );
    });

    it("dev ships the audit log at least; production ships all five log types", () => {
        assertClean(findings(eksControlPlaneLogging, eksCluster({ enabledClusterLogTypes: ["audit"] }), "dev"));
        assertCaught(findings(eksControlPlaneLogging, eksCluster({ enabledClusterLogTypes: [] }), "dev"), /lacks audit/);
        assertCaught(
            findings(eksControlPlaneLogging, eksCluster({ enabledClusterLogTypes: ["audit", "api"] }), "production"),
            /lacks authenticator, controllerManager, scheduler/,
        );
        assertCaught(findings(eksControlPlaneLogging, awsCluster({ enabledClusterLogTypes: undefined }), "production"), /lacks api, audit/);
    });

    it("an API endpoint open to 0.0.0.0/0, or without private access, is refused in production", () => {
        assertCaught(findings(eksEndpointRestricted, eksCluster({ publicAccessCidrs: ["0.0.0.0/0"] })), /admits 0.0.0.0\/0/);
        // @pulumi/eks turns public access on by default, and EKS then admits everyone.
        assertCaught(findings(eksEndpointRestricted, eksCluster({ endpointPublicAccess: undefined, publicAccessCidrs: undefined })), /no publicAccessCidrs/);
        assertCaught(findings(eksEndpointRestricted, eksCluster({ endpointPrivateAccess: undefined })), /endpointPrivateAccess is not true/);
        assertCaught(
            findings(eksEndpointRestricted, awsCluster({ vpcConfig: { subnetIds: ["subnet-1"], endpointPrivateAccess: true, publicAccessCidrs: ["::/0"] } })),
            /admits ::\/0/,
        );
        assertClean(findings(eksEndpointRestricted, eksCluster({ endpointPublicAccess: false, publicAccessCidrs: undefined })));
        assertCaught([eksEndpointRestricted.enforcement.dev], /advisory/);
    });

    it("nodes must refuse IMDSv1: managed node groups with IMDSv2 or their own launch template, no default node group", () => {
        const group = (props: Shape<ManagedNodeGroupArgs>) => resource<ManagedNodeGroupArgs>("eks:index:ManagedNodeGroup", "system", props);
        assertClean(findings(eksNodesImdsv2, group({ launchTemplate: { id: "lt-1", version: "1" } })));
        assertClean(findings(eksNodesImdsv2, group({ enableIMDSv2: true })));
        assertCaught(findings(eksNodesImdsv2, group({})), /nodes answer IMDSv1/);
        assertCaught(findings(eksNodesImdsv2, eksCluster({ skipDefaultNodeGroup: undefined })), /self-managed default node group/);

        const awsGroup = (props: Shape<AwsNodeGroupArgs>) => resource<AwsNodeGroupArgs>("aws:eks/nodeGroup:NodeGroup", "system", props);
        assertCaught(findings(eksNodesImdsv2, awsGroup({})), /EKS default template/);
        assertClean(findings(eksNodesImdsv2, awsGroup({ launchTemplate: { id: "lt-1", version: "1" } })));

        const template = (props: Shape<LaunchTemplateArgs>) => resource<LaunchTemplateArgs>("aws:ec2/launchTemplate:LaunchTemplate", "nodes", props);
        assertClean(findings(eksNodesImdsv2, template({ metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 } })));
        assertCaught(findings(eksNodesImdsv2, template({ metadataOptions: { httpTokens: "optional" } })), /httpTokens is not "required"/);
        assertCaught(findings(eksNodesImdsv2, template({})), /httpTokens is not "required"/);
    });

    it("warns when pods can reach the node's metadata credentials through a hop limit above 1", () => {
        const template = (props: Shape<LaunchTemplateArgs>) => resource<LaunchTemplateArgs>("aws:ec2/launchTemplate:LaunchTemplate", "nodes", props);
        assertClean(findings(ec2ImdsHopLimit, template({ metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 } })));
        assertCaught(findings(ec2ImdsHopLimit, template({ metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 2 } })), /is 2/);
        assertCaught(
            findings(ec2ImdsHopLimit, resource<ManagedNodeGroupArgs>("eks:index:ManagedNodeGroup", "spot", { enableIMDSv2: true })),
            /hop limit of 2/,
        );
    });
});
