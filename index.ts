import * as pulumi from "@pulumi/pulumi";
import { createAwsProvider } from "./components/awsProvider";
import { Cluster } from "./components/cluster/cluster";
import { serviceCidrFor } from "./components/cluster/serviceNetwork";
import { deploymentProblems, lookupDeployment } from "./components/deployer";
import { pinnedGlobalBundle, regionCaBundle } from "./components/database/caBundle";
import { Database } from "./components/database/database";
import { RoleBootstrap } from "./components/database/roleBootstrap";
import { albTags, clusterName, databaseIdentifier } from "./components/naming";
import { Network } from "./components/network/network";
import { Alarms, nodeCeiling } from "./components/observability/alarms";
import { Edge } from "./components/edge/edge";
import { podNetwork } from "./components/service/networkPolicy";
import { createServices } from "./components/service/services";
import { lookupZones } from "./components/network/zones";
import { ConfigError, loadConfig } from "./config";

// Reads the stack's configuration once, builds the components in order and exports what
// operators and CI need. A bad config (a missing Dockerfile, a name AWS or Kubernetes would
// refuse, a region without an RDS CA in the pinned bundle included) stops in loadConfig, before
// anything is registered. What only AWS can answer (this account's certificates and earlier
// deployment, the region's zones) is asked through the stack's provider, before any other resource.
export = async () => {
    const config = loadConfig();
    const projectDir = pulumi.runtime.getRootDirectory() || process.cwd();
    const caBundle = regionCaBundle(pinnedGlobalBundle(), config.region);
    const aws = createAwsProvider(config);
    // What would fail halfway through this update on this account stops it here, before anything is created.
    const deployment = await lookupDeployment(aws, clusterName(config));
    const refused = deploymentProblems(config, deployment);
    if (refused.length > 0) {
        throw new ConfigError(config.stack, refused);
    }
    const zones = await lookupZones(config.network.availabilityZones, config.stack, config.region, aws);

    const network = new Network(
        "network",
        { settings: config.network, zones, region: config.region, clusterName: clusterName(config), keepLogsOnDestroy: config.profile === "production" },
        { providers: { aws } },
    );
    const cluster = new Cluster(
        "cluster",
        {
            settings: config.cluster,
            profile: config.profile,
            name: clusterName(config),
            region: config.region,
            vpcId: network.vpcId,
            vpcCidr: config.network.cidr,
            privateSubnets: zones.map((zone, i) => ({ zone, subnetId: network.privateSubnetIds[i] })),
            logRetentionDays: config.observability.logRetentionDays,
            workloadNamespaces: config.services.map((s) => s.name),
            liveNodeGroups: deployment.nodeGroups,
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
    const nodesToDatabase = database.admit("cluster-nodes", cluster.nodeSecurityGroupId);
    // The master credentials go here and nowhere else: services get a role and login each.
    const roles = new RoleBootstrap(
        "database-roles",
        { master: database.connection, instance: database.resourceId, caBundle, databaseCidrs: network.isolatedCidrBlocks, databaseAccess: [nodesToDatabase] },
        { providers: { kubernetes: cluster.provider } },
    );

    const edge = new Edge(
        "edge",
        { settings: config.edge, albTags: albTags(config), services: config.services.filter((s) => s.ingress.enabled).map((s) => s.name) },
        { providers: { aws } },
    );
    const alarms = config.observability.alarms.enabled
        ? new Alarms(
              "alarms",
              {
                  settings: config.observability.alarms,
                  stack: config.stack,
                  databaseIdentifier: databaseIdentifier(config),
                  clusterName: clusterName(config),
                  nodeCeiling: nodeCeiling(config.cluster.nodeGroups),
              },
              { providers: { aws } },
          )
        : undefined;

    const services = createServices(config, {
        aws,
        kubernetes: cluster.provider,
        projectDir,
        namespaces: cluster.namespaces,
        database: { host: database.connection.host, port: database.connection.port, name: database.connection.name, caBundle, cidrs: network.isolatedCidrBlocks, roles },
        network: podNetwork({
            publicCidrs: network.publicCidrBlocks,
            privateCidrs: network.privateCidrBlocks,
            stsEndpoint: config.network.interfaceEndpoints.includes("sts"),
            serviceCidr: serviceCidrFor(config.network.cidr),
        }),
        edgeAnnotations: (service) => edge.ingressAnnotations(service),
        prerequisites: [...cluster.workloadPrerequisites, ...edge.ingressPrerequisites],
    });

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
        // Where the database answers; its master credentials stay out of the outputs.
        database: { host: database.connection.host, port: database.connection.port, name: database.connection.name },
        webAclArn: edge.webAclArn,
        ...(alarms ? { alarmTopicArn: alarms.topicArn } : {}),
        serviceUrls: services.urls,
        serviceVersions: services.versions,
        loadTest: config.loadTest,
    };
};
