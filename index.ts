import * as pulumi from "@pulumi/pulumi";
import { createAwsProvider } from "./components/awsProvider";
import { Cluster } from "./components/cluster/cluster";
import { deployerRoleArn } from "./components/deployer";
import { Database } from "./components/database/database";
import { albTags, clusterName, databaseIdentifier } from "./components/naming";
import { Network } from "./components/network/network";
import { Alarms } from "./components/observability/alarms";
import { Edge } from "./components/edge/edge";
import { ServiceImage } from "./components/serviceImage";
import { sourceProblems } from "./components/images/sources";
import { Service } from "./components/service/service";
import { lookupZones } from "./components/network/zones";
import { ConfigError, loadConfig } from "./config";

// Reads the stack's configuration once, builds the components in order and exports what
// operators and CI need. A bad config stops here, before any resource is registered.
export = async () => {
    const config = loadConfig();
    const projectDir = pulumi.runtime.getRootDirectory() || process.cwd();
    const missingSources = sourceProblems(config.services, projectDir);
    if (missingSources.length > 0) {
        throw new ConfigError(config.stack, missingSources);
    }
    const aws = createAwsProvider(config);
    const zones = await lookupZones(config.network.availabilityZones, config.stack, config.region, aws);

    const network = new Network(
        "network",
        { settings: config.network, zones, region: config.region, clusterName: clusterName(config) },
        { providers: { aws } },
    );
    const cluster = new Cluster(
        "cluster",
        {
            settings: config.cluster,
            profile: config.profile,
            name: clusterName(config),
            region: config.region,
            creatorRoleArn: await deployerRoleArn(aws),
            vpcId: network.vpcId,
            privateSubnetIds: network.privateSubnetIds,
            logRetentionDays: config.observability.logRetentionDays,
            workloadNamespaces: config.services.map((s) => s.name),
        },
        { providers: { aws } },
    );

    const database = new Database(
        "database",
        {
            settings: config.database,
            profile: config.profile,
            identifier: databaseIdentifier(config),
            vpcId: network.vpcId,
            subnetIds: network.isolatedSubnetIds,
        },
        { providers: { aws } },
    );
    database.admit("cluster-nodes", cluster.nodeSecurityGroupId);

    const edge = new Edge("edge", { settings: config.edge, albTags: albTags(config) }, { providers: { aws } });
    const alarms = config.observability.alarms.enabled
        ? new Alarms(
              "alarms",
              {
                  settings: config.observability.alarms,
                  stack: config.stack,
                  databaseIdentifier: databaseIdentifier(config),
                  clusterName: clusterName(config),
                  nodeCeiling: config.cluster.nodeGroups.reduce((sum, group) => sum + group.maxSize, 0),
              },
              { providers: { aws } },
          )
        : undefined;

    const serviceUrls: Record<string, pulumi.Output<string>> = {};
    const serviceVersions: Record<string, Record<string, string>> = {};
    for (const settings of config.services) {
        const image = new ServiceImage(
            `image-${settings.name}`,
            { service: settings, settings: config.images, stack: config, provider: aws, sourceRoot: projectDir },
            { providers: { aws } },
        );
        const service = new Service(
            settings.name,
            {
                settings,
                profile: config.profile,
                namespace: cluster.namespaces[settings.name],
                image,
                database: { ...database.connection, cidrs: network.isolatedCidrBlocks },
                secrets: config.serviceSecrets[settings.name] ?? {},
                vpcCidr: network.vpcCidrBlock,
                albGroup: `${clusterName(config)}-${settings.name}`,
                edgeAnnotations: edge.ingressAnnotations(settings.name),
                prerequisites: [...cluster.workloadPrerequisites, ...edge.ingressPrerequisites],
            },
            { providers: { kubernetes: cluster.provider } },
        );
        serviceUrls[settings.name] = service.url;
        serviceVersions[settings.name] = service.versions;
    }

    return {
        profile: config.profile,
        region: config.region,
        vpcId: network.vpcId,
        availabilityZones: network.availabilityZones,
        privateSubnetIds: network.privateSubnetIds,
        publicSubnetIds: network.publicSubnetIds,
        isolatedSubnetIds: network.isolatedSubnetIds,
        clusterName: cluster.clusterName,
        kubeconfig: cluster.kubeconfig,
        oidcProviderArn: cluster.oidcProviderArn,
        database: pulumi.secret(database.connection),
        webAclArn: edge.webAclArn,
        ...(alarms ? { alarmTopicArn: alarms.topicArn } : {}),
        serviceUrls,
        serviceVersions,
        loadTest: config.loadTest,
    };
};
