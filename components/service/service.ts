import { createHash } from "crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Profile } from "../../config";
import type { ServiceSettings } from "../../config/sections/services";
import type { ImageSource } from "../image/imageSource";
import { DatabaseAccess, databaseConfig, type ServiceDatabase } from "./databaseAccess";
import { deploymentSpec } from "./deployment";
import { albAnnotations, ingressSpec, previewAnnotations } from "./ingress";
import { otherColor, podSelector, serviceLabels, type Track, trackName, tracksOf, versionOf } from "./labels";
import { allowSpec, defaultDenySpec, type PodNetwork } from "./networkPolicy";
import { hpaSpec, pdbSpec } from "./scaling";
import { serviceAccountSpec } from "./serviceAccount";

export interface ServiceArgs {
    /** The service's settings from the stack config (`platform:services[]`), every default applied. */
    readonly settings: ServiceSettings;
    /** The stack's profile: production spreads pods strictly across zones. */
    readonly profile: Profile;
    /** Its namespace, created with Pod Security labels by the cluster; this component creates none. */
    readonly namespace: pulumi.Input<string>;
    /** Where its image comes from: each track runs the digest its version resolves to, `image.tag` when config names none. */
    readonly image: ImageSource;
    /** The database: with `settings.database.enabled`, the service's own role and a login per track, mounted from a Secret. Defaults to none: no database Secret, no egress on 5432. */
    readonly database?: ServiceDatabase;
    /** The service's own secret values (`platform:serviceSecrets.<service>`), one per name in `settings.secrets`. */
    readonly secrets: Record<string, string>;
    /** Where the pods take traffic from (the ALB's subnets) and reach STS and the Kubernetes API. */
    readonly network: PodNetwork;
    /** The ALB group the live and preview Ingresses share. */
    readonly albGroup: string;
    /** Annotations from the edge on every Ingress: WAF, ALB attributes, tags. */
    readonly edgeAnnotations: Record<string, pulumi.Input<string>>;
    /** What Ingress and HPA objects wait for: the load balancer controller's webhook and metrics-server. */
    readonly prerequisites: pulumi.Resource[];
}

/** A change of plain config, or of a secret's value, changes this, which rolls the pods (the files are read at start). */
export function configChecksum(data: Record<string, string>, secrets: Record<string, string> = {}): string {
    return createHash("sha256").update(JSON.stringify([Object.entries(data).sort(), Object.entries(secrets).sort()])).digest("hex");
}

/** The ConfigMap's data: the service's env, its port, and verified TLS to the database. */
export function configData(settings: ServiceSettings, withDatabase: boolean): Record<string, string> {
    return { ...settings.env, PORT: String(settings.port), ...(withDatabase ? databaseConfig() : {}) };
}

/**
 * One service on the cluster: rolling (one Deployment) or blue/green (a Deployment, HPA and PDB
 * per color, a live Service on the active color and a preview Service on the idle one), with its
 * ServiceAccount, Secrets, ConfigMap, NetworkPolicies and Ingress.
 */
export class Service extends pulumi.ComponentResource {
    /** Where the service answers: its host, or the ALB's name. */
    readonly url: pulumi.Output<string>;
    /** The image tag each track runs, and which one is live: what `npm run release` needs to know. */
    readonly versions: Record<string, string> = {};

    constructor(name: string, args: ServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:services:Service", name, {}, opts);
        const { settings } = args;
        const parent = { parent: this };
        const meta = (objectName: pulumi.Input<string>, annotations?: Record<string, pulumi.Input<string>>) => ({
            name: objectName,
            namespace: args.namespace,
            labels: serviceLabels(settings.name),
            annotations,
        });

        new k8s.networking.v1.NetworkPolicy(`${name}-default-deny`, { metadata: meta("default-deny"), spec: defaultDenySpec }, parent);
        const database = settings.database.enabled ? args.database : undefined;
        new k8s.networking.v1.NetworkPolicy(`${name}-allow`, { metadata: meta(settings.name), spec: allowSpec(settings, { ...args.network, databaseCidrs: database?.cidrs ?? [] }) }, parent);
        const accountSpec = serviceAccountSpec(settings);
        const account = new k8s.core.v1.ServiceAccount(
            `${name}`,
            { metadata: meta(settings.name, accountSpec.annotations), automountServiceAccountToken: accountSpec.automountServiceAccountToken },
            parent,
        );
        const data = configData(settings, database !== undefined);
        const configMap = new k8s.core.v1.ConfigMap(`${name}-config`, { metadata: meta(`${settings.name}-config`), data }, parent);
        const access = database ? new DatabaseAccess(name, settings, tracksOf(settings), database, meta, this) : undefined;
        const appSecret =
            settings.secrets.length > 0
                ? new k8s.core.v1.Secret(
                      `${name}-secrets`,
                      { metadata: meta(`${settings.name}-secrets`), type: "Opaque", stringData: pulumi.secret(Object.fromEntries(settings.secrets.map((key) => [key, args.secrets[key]]))) },
                      parent,
                  )
                : undefined;

        const deployments = new Map<Track, k8s.apps.v1.Deployment>();
        for (const track of tracksOf(settings)) {
            const version = versionOf(settings, track) ?? args.image.tag;
            const logical = track === "rolling" ? name : `${name}-${track}`;
            this.versions[track] = version;
            const deployment = new k8s.apps.v1.Deployment(
                logical,
                {
                    metadata: meta(trackName(settings.name, track)),
                    spec: deploymentSpec({
                        settings,
                        profile: args.profile,
                        track,
                        image: args.image.refFor(version),
                        configMap: configMap.metadata.name,
                        configChecksum: configChecksum(data, Object.fromEntries(settings.secrets.map((key) => [key, args.secrets[key]]))),
                        databaseSecret: access?.secretName(track),
                        appSecret: appSecret?.metadata.name,
                        serviceAccount: account.metadata.name,
                    }),
                },
                parent,
            );
            deployments.set(track, deployment);
            if (settings.autoscaling.enabled) {
                new k8s.autoscaling.v2.HorizontalPodAutoscaler(logical, { metadata: meta(trackName(settings.name, track)), spec: hpaSpec(settings, track) }, { parent: this, dependsOn: args.prerequisites });
            }
            new k8s.policy.v1.PodDisruptionBudget(logical, { metadata: meta(trackName(settings.name, track)), spec: pdbSpec(settings, track) }, parent);
        }

        const live: Track = settings.strategy === "rolling" ? "rolling" : settings.release.active;
        this.versions.live = live;
        const liveService = this.kubernetesService(name, meta(settings.name), settings, live, deployments.get(live) as k8s.apps.v1.Deployment);
        const annotations = { ...albAnnotations(settings, args.albGroup), ...args.edgeAnnotations };
        let ingress: k8s.networking.v1.Ingress | undefined;
        if (settings.ingress.enabled) {
            ingress = new k8s.networking.v1.Ingress(
                `${name}`,
                { metadata: meta(settings.name, annotations), spec: ingressSpec(settings, liveService.metadata.name) },
                { parent: this, dependsOn: args.prerequisites },
            );
        }
        if (live !== "rolling") {
            const idle = otherColor(live);
            const previewName = `${settings.name}-preview`;
            const preview = this.kubernetesService(`${name}-preview`, meta(previewName), settings, idle, deployments.get(idle) as k8s.apps.v1.Deployment);
            if (settings.ingress.enabled) {
                new k8s.networking.v1.Ingress(
                    `${name}-preview`,
                    { metadata: meta(previewName, { ...annotations, ...previewAnnotations(previewName) }), spec: ingressSpec(settings, preview.metadata.name) },
                    { parent: this, dependsOn: args.prerequisites },
                );
            }
        }

        this.url = serviceUrl(settings, ingress);
        this.registerOutputs({ url: this.url });
    }

    /** A ClusterIP Service on a track's pods; it waits for that track's Deployment to be ready. */
    private kubernetesService(name: string, metadata: object, settings: ServiceSettings, track: Track, deployment: k8s.apps.v1.Deployment): k8s.core.v1.Service {
        return new k8s.core.v1.Service(
            name,
            { metadata, spec: { type: "ClusterIP", selector: podSelector(settings.name, track), ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }] } },
            { parent: this, dependsOn: [deployment] },
        );
    }
}

/** The URL clients and smoke tests use. */
function serviceUrl(settings: ServiceSettings, ingress: k8s.networking.v1.Ingress | undefined): pulumi.Output<string> {
    const scheme = settings.ingress.certificateArn ? "https" : "http";
    if (settings.ingress.host) {
        return pulumi.output(`${scheme}://${settings.ingress.host}${settings.ingress.path}`);
    }
    if (!ingress) {
        return pulumi.output("");
    }
    return ingress.status.apply((status) => `${scheme}://${status?.loadBalancer?.ingress?.[0]?.hostname ?? "pending"}${settings.ingress.path}`);
}
