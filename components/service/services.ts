import type * as aws from "@pulumi/aws";
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../../config";
import * as path from "path";
import { roleBootstrapNamespace, roleBootstrapSource } from "../database/roleNames";
import { albGroupName } from "../naming";
import { ServiceImage } from "../image/serviceImage";
import { servedVersion } from "./colors";
import type { ServiceDatabase } from "./databaseAccess";
import type { PodNetwork } from "./networkPolicy";
import { Service, type ServiceVersions } from "./service";

/** What every service of the stack stands on. */
export interface ServicesPlatform {
    readonly aws: aws.Provider;
    readonly kubernetes: k8s.Provider;
    readonly projectDir: string;
    readonly namespaces: Record<string, pulumi.Input<string>>;
    /** The database without its bootstrap image, which the services' own images provide. */
    readonly database: Omit<ServiceDatabase, "bootstrapImage">;
    readonly network: PodNetwork;
    readonly edgeAnnotations: (service: string) => Record<string, pulumi.Input<string>>;
    readonly prerequisites: pulumi.Resource[];
}

/** Each configured service with its image: where it answers and which versions it runs, by name. */
export function createServices(config: PlatformConfig, platform: ServicesPlatform) {
    const urls: Record<string, pulumi.Output<string>> = {};
    const versions: Record<string, ServiceVersions> = {};
    const images = config.services.map(
        (settings) =>
            new ServiceImage(
                `image-${settings.name}`,
                { service: settings, settings: config.images, stack: config, provider: platform.aws, sourceRoot: platform.projectDir },
                { providers: { aws: platform.aws } },
            ),
    );
    const database = { ...platform.database, bootstrapImage: roleBootstrapImage(config, images, platform) };
    config.services.forEach((settings, i) => {
        const image = images[i];
        const service = new Service(
            settings.name,
            {
                settings,
                profile: config.profile,
                namespace: platform.namespaces[settings.name],
                image,
                database,
                secrets: config.serviceSecrets[settings.name] ?? {},
                network: platform.network,
                albGroup: albGroupName(config, settings.name),
                edgeAnnotations: platform.edgeAnnotations(settings.name),
                prerequisites: platform.prerequisites,
            },
            { providers: { kubernetes: platform.kubernetes } },
        );
        urls[settings.name] = service.url;
        versions[settings.name] = service.versions;
    });
    return { urls, versions };
}

/**
 * The image the role bootstrap runs: the example service's (it carries `dist/bootstrap.js`), from
 * the service built from that folder when the stack has one, or built for the bootstrap alone.
 * A version that has served live traffic (`servedVersion`), never this update's build unless the
 * live track runs it: the Job holds the master credentials, so it runs released code only.
 */
function roleBootstrapImage(config: PlatformConfig, images: ServiceImage[], platform: ServicesPlatform): pulumi.Input<string> {
    const source = path.resolve(platform.projectDir, roleBootstrapSource);
    const index = config.services.findIndex((s) => s.source !== undefined && path.resolve(platform.projectDir, s.source) === source);
    if (index >= 0) {
        return images[index].refFor(servedVersion(config.services[index], images[index].tag));
    }
    const template = config.services.find((s) => s.database.enabled);
    if (!template) {
        return "";
    }
    const image = new ServiceImage(
        "image-database-roles",
        { service: { ...template, name: roleBootstrapNamespace, source: roleBootstrapSource, image: undefined }, settings: config.images, stack: config, provider: platform.aws, sourceRoot: platform.projectDir },
        { providers: { aws: platform.aws } },
    );
    return image.refFor(image.tag);
}
