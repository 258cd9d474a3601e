import type * as aws from "@pulumi/aws";
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../../config";
import { clusterName } from "../naming";
import { ServiceImage } from "../image/serviceImage";
import { albGroupName } from "./names";
import { type DatabaseAccess, Service, type ServiceVersions } from "./service";

/** What every service of the stack stands on. */
export interface ServicesPlatform {
    readonly aws: aws.Provider;
    readonly kubernetes: k8s.Provider;
    readonly projectDir: string;
    readonly namespaces: Record<string, pulumi.Input<string>>;
    readonly database: DatabaseAccess;
    readonly vpcCidr: pulumi.Input<string>;
    readonly edgeAnnotations: (service: string) => Record<string, pulumi.Input<string>>;
    readonly prerequisites: pulumi.Resource[];
}

/** Each configured service with its image: where it answers and which versions it runs, by name. */
export function createServices(config: PlatformConfig, platform: ServicesPlatform) {
    const urls: Record<string, pulumi.Output<string>> = {};
    const versions: Record<string, ServiceVersions> = {};
    for (const settings of config.services) {
        const image = new ServiceImage(
            `image-${settings.name}`,
            { service: settings, settings: config.images, stack: config, provider: platform.aws, sourceRoot: platform.projectDir },
            { providers: { aws: platform.aws } },
        );
        const service = new Service(
            settings.name,
            {
                settings,
                profile: config.profile,
                namespace: platform.namespaces[settings.name],
                image,
                database: platform.database,
                secrets: config.serviceSecrets[settings.name] ?? {},
                vpcCidr: platform.vpcCidr,
                albGroup: albGroupName(clusterName(config), settings.name),
                edgeAnnotations: platform.edgeAnnotations(settings.name),
                prerequisites: platform.prerequisites,
            },
            { providers: { kubernetes: platform.kubernetes } },
        );
        urls[settings.name] = service.url;
        versions[settings.name] = service.versions;
    }
    return { urls, versions };
}
