import type { DefaultSecurityGroupArgs } from "@pulumi/aws/ec2/defaultSecurityGroup";
import { itemsOf, shapeOf, takesFrom } from "./shapes";
import type { ReviewedResource, StackRule, Violation } from "./types";

const vpc = "aws:ec2/vpc:Vpc";
const flowLog = "aws:ec2/flowLog:FlowLog";
const defaultSecurityGroup = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup";

/** The resources of a type whose `vpcId` comes from the VPC. */
function ofVpc(resources: readonly ReviewedResource[], type: string, owner: ReviewedResource): ReviewedResource[] {
    return resources.filter((r) => r.type === type && takesFrom(r, "vpcId", owner));
}

export const vpcFlowLogs: StackRule = {
    kind: "stack",
    name: "vpc-flow-logs",
    description: "Every VPC records its traffic with a flow log, so an incident can be traced after the fact.",
    enforcement: { dev: "mandatory", production: "mandatory" },
    resourceTypes: [vpc],
    check: (resources) =>
        resources
            .filter((r) => r.type === vpc)
            .filter((owner) => ofVpc(resources, flowLog, owner).length === 0)
            .map((owner) => ({ urn: owner.urn, message: `VPC ${owner.name} has no flow log: its traffic leaves no record to investigate` })),
};

export const vpcDefaultSecurityGroupClosed: StackRule = {
    kind: "stack",
    name: "vpc-default-security-group-closed",
    description: "Every VPC's default security group is adopted and stripped of all rules, so nothing that lands in it can talk.",
    enforcement: { dev: "mandatory", production: "mandatory" },
    resourceTypes: [vpc],
    check: (resources) => {
        const violations: Violation[] = [];
        for (const owner of resources.filter((r) => r.type === vpc)) {
            const adopted = ofVpc(resources, defaultSecurityGroup, owner);
            if (adopted.length === 0) {
                violations.push({
                    urn: owner.urn,
                    message: `VPC ${owner.name}'s default security group is not managed: AWS leaves it open between its members and to the internet outbound`,
                });
            }
            for (const group of adopted) {
                const rules = shapeOf<DefaultSecurityGroupArgs>(group);
                const count = itemsOf(rules.ingress).length + itemsOf(rules.egress).length;
                if (count > 0) {
                    violations.push({ urn: group.urn, message: `default security group ${group.name} has ${count} rule${count === 1 ? "" : "s"}: it must have none` });
                }
            }
        }
        return violations;
    },
};

export const networkRules: readonly StackRule[] = [vpcFlowLogs, vpcDefaultSecurityGroupClosed];
