import { type FakeAccount, fakeAccountId, fakeZones } from "./fakeAccount";
import { fakeImageDigest } from "./outputs/images";

/** Answers a provider function call in the fake account. */
export type InvokeAnswer = (inputs: Record<string, any>, region: string, account: FakeAccount) => Record<string, unknown>;

/**
 * The provider functions the program calls, answered offline. A call with no answer here fails
 * the render, so a new lookup is noticed rather than silently returning nothing.
 */
export const invokeAnswers: Record<string, InvokeAnswer> = {
    "aws:index/getAvailabilityZones:getAvailabilityZones": (_inputs, region) => {
        const names = fakeZones(region);
        return { names, zoneIds: names.map((_, i) => `${region.replace(/-/g, "")}-az${i + 1}`), id: region };
    },
    "aws:index/getCallerIdentity:getCallerIdentity": (_inputs, _region, account) => ({
        accountId: fakeAccountId,
        arn: `arn:aws:sts::${fakeAccountId}:assumed-role/${account.callerRoleName}/session`,
        userId: "AROAFAKEDEPLOYER:session",
        id: fakeAccountId,
    }),
    "aws:iam/getSessionContext:getSessionContext": (inputs, _region, account) => ({
        arn: inputs.arn,
        issuerArn: `arn:aws:iam::${fakeAccountId}:role/${account.callerRoleName}`,
        issuerName: account.callerRoleName,
        issuerId: "AROAFAKEDEPLOYER",
        sessionName: "session",
        id: inputs.arn,
    }),
    "aws:eks/getClusters:getClusters": (_inputs, region, account) => ({ names: [...account.clusters], region, id: region }),
    "aws:eks/getNodeGroups:getNodeGroups": (inputs, _region, account) => {
        if (!account.clusters.includes(inputs.clusterName)) {
            throw new Error(`ResourceNotFoundException: No cluster found for name: ${inputs.clusterName}.`);
        }
        return { clusterName: inputs.clusterName, names: Object.keys(account.nodeGroups), id: inputs.clusterName };
    },
    "aws:eks/getNodeGroup:getNodeGroup": (inputs, _region, account) => ({
        clusterName: inputs.clusterName,
        nodeGroupName: inputs.nodeGroupName,
        scalingConfigs: [(({ minSize, desiredSize, maxSize }) => ({ minSize, desiredSize, maxSize }))(account.nodeGroups[inputs.nodeGroupName])],
        instanceTypes: account.nodeGroups[inputs.nodeGroupName].instanceTypes,
        capacityType: account.nodeGroups[inputs.nodeGroupName].capacityType,
        id: `${inputs.clusterName}:${inputs.nodeGroupName}`,
    }),
    // Filters as the Resource Groups Tagging API does: every tag filter matches (a key with any of its values, or any value when none is given).
    "aws:resourcegroupstaggingapi/getResources:getResources": (inputs, region, account) => {
        const types: string[] = inputs.resourceTypeFilters ?? [];
        const filters: { key: string; values?: string[] }[] = inputs.tagFilters ?? [];
        const matches = (tags: Readonly<Record<string, string>>) =>
            filters.every((filter) => filter.key in tags && (!filter.values?.length || filter.values.includes(tags[filter.key])));
        const listed = types.length === 0 || types.includes("elasticloadbalancing:targetgroup") ? account.targetGroups.filter((group) => matches(group.tags)) : [];
        return { resourceTagMappingLists: listed.map((group) => ({ resourceArn: group.arn, tags: { ...group.tags }, complianceDetails: [] })), region, id: region };
    },
    "aws:index/getPartition:getPartition": () => ({ partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" }),
    "aws:index/getRegion:getRegion": (_inputs, region) => ({ name: region, region, id: region }),
    // Renders of earlier commits (`--diff <ref>`) still look the default add-on version up; this one does not.
    "aws:eks/getAddonVersion:getAddonVersion": (inputs) => ({
        addonName: inputs.addonName,
        kubernetesVersion: inputs.kubernetesVersion,
        version: `v0.0.0-eks-default-for-${inputs.kubernetesVersion}`,
        id: inputs.addonName,
    }),
    "aws:elb/getServiceAccount:getServiceAccount": (_inputs, region) => ({ arn: "arn:aws:iam::156460612806:root", id: "156460612806", region }),
    "aws:ecr/getAuthorizationToken:getAuthorizationToken": (_inputs, region) => ({
        authorizationToken: "QVdTOnJlbmRlcg==",
        userName: "AWS",
        password: "render-registry-password",
        proxyEndpoint: `https://${fakeAccountId}.dkr.ecr.${region}.amazonaws.com`,
        expiresAt: "2099-01-01T00:00:00Z",
        id: region,
    }),
    "aws:ecr/getRepositories:getRepositories": (_inputs, region, account) => ({ names: Object.keys(account.registry), region, id: region }),
    // Each tag as its own image id, as ECR ListImages reports them, with the digest its push reported.
    "aws:ecr/getImages:getImages": (inputs, region, account) => {
        const tags = account.registry[inputs.repositoryName];
        if (!tags) {
            throw new Error(`RepositoryNotFoundException: the repository ${inputs.repositoryName} does not exist in the registry ${fakeAccountId}`);
        }
        return {
            repositoryName: inputs.repositoryName,
            registryId: fakeAccountId,
            imageIds: tags.map((tag) => ({ imageTag: tag, imageDigest: fakeImageDigest(inputs.repositoryName, tag) })),
            region,
            id: inputs.repositoryName,
        };
    },
    // An image already in the repository: the digest its push reported for the tag asked for.
    "aws:ecr/getImage:getImage": (inputs, region, account) => {
        const digest = inputs.imageDigest ?? fakeImageDigest(inputs.repositoryName, inputs.imageTag);
        // Looked up by digest, an image carries the registry's tag that was pushed as that digest, if any.
        const pushedAs = (account.registry[inputs.repositoryName] ?? []).filter((tag) => fakeImageDigest(inputs.repositoryName, tag) === digest);
        return {
            repositoryName: inputs.repositoryName,
            registryId: fakeAccountId,
            imageDigest: digest,
            imageTag: inputs.imageTag,
            imageTags: inputs.imageTag ? [inputs.imageTag] : pushedAs,
            imageUri: `${fakeAccountId}.dkr.ecr.${region}.amazonaws.com/${inputs.repositoryName}@${digest}`,
            imagePushedAt: 1767225600,
            imageSizeInBytes: 60000000,
            region,
            id: `${inputs.repositoryName}@${digest}`,
        };
    },
};
