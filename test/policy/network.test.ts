import type { DefaultSecurityGroupArgs } from "@pulumi/aws/ec2/defaultSecurityGroup";
import type { FlowLogArgs } from "@pulumi/aws/ec2/flowLog";
import type { VpcArgs } from "@pulumi/aws/ec2/vpc";
import { vpcDefaultSecurityGroupClosed, vpcFlowLogs } from "../../policy/rules/network";
import type { Shape } from "../../policy/rules/shapes";
import { assertCaught, assertClean, resource, stackFindings } from "./fixtures";

const vpc = resource<VpcArgs>("aws:ec2/vpc:Vpc", "network-vpc", { cidrBlock: "10.0.0.0/16" });
const fromVpc = { propertyDependencies: { vpcId: [vpc.urn] } };
const flowLog = resource<FlowLogArgs>("aws:ec2/flowLog:FlowLog", "network-flow-log", { vpcId: "network-vpc-id", trafficType: "ALL" }, fromVpc);
const closedGroup = (props: Shape<DefaultSecurityGroupArgs> = {}) =>
    resource<DefaultSecurityGroupArgs>("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "network-default-sg", { vpcId: "network-vpc-id", ...props }, fromVpc);

describe("policy: VPC", () => {
    it("a VPC with a flow log passes; one without is refused", () => {
        assertClean(stackFindings(vpcFlowLogs, [vpc, flowLog]));
        assertCaught(stackFindings(vpcFlowLogs, [vpc]), /VPC network-vpc has no flow log/);
        const elsewhere = resource<FlowLogArgs>("aws:ec2/flowLog:FlowLog", "other-flow-log", { vpcId: "vpc-other", trafficType: "ALL" });
        assertCaught(stackFindings(vpcFlowLogs, [vpc, elsewhere]), /has no flow log/);
    });

    it("the default security group must be adopted and left without rules", () => {
        assertClean(stackFindings(vpcDefaultSecurityGroupClosed, [vpc, closedGroup()]));
        assertClean(stackFindings(vpcDefaultSecurityGroupClosed, [vpc, closedGroup({ ingress: [], egress: [] })]));
        assertCaught(stackFindings(vpcDefaultSecurityGroupClosed, [vpc]), /default security group is not managed/);
        assertCaught(
            stackFindings(vpcDefaultSecurityGroupClosed, [vpc, closedGroup({ egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] })]),
            /has 1 rule: it must have none/,
        );
    });
});
