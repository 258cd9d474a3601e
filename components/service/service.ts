import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Profile } from "../../config";
import type { Color, ServiceSettings } from "../../config/sections/services";
import type { ImageSource } from "../image/imageSource";
import { configData } from "./container";
import { DatabaseAccess, type ServiceDatabase } from "./databaseAccess";
import { deploymentSpec } from "./deployment";
import { liveTrack, podConfigHash, podConfigOf, type TrackState, trackStates } from "./colors";
import { albAnnotations, healthCheckAnnotations, rollingIngressSpec, weightedRouting } from "./ingress";
import { podSelector, serviceLabels, type Track, trackLabels, trackName } from "./labels";
import { appSecretName, configMapName, ingressName } from "./names";
import { allowSpec, defaultDenySpec, type PodNetwork } from "./networkPolicy";
import { hpaOwnedFields, hpaSpec, pdbSpec } from "./scaling";
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
    /** The ALB group of the service's one Ingress (`albGroupName` in components/naming.ts). */
    readonly albGroup: string;
    /** Annotations from the edge on every Ingress: WAF, ALB attributes, tags. */
    readonly edgeAnnotations: Record<string, pulumi.Input<string>>;
    /** What Ingress and HPA objects wait for: the load balancer controller's webhook and metrics-server. */
    readonly prerequisites: pulumi.Resource[];
}

/** What a track runs, as the `serviceVersions` output shows it. */
export interface TrackVersion {
    readonly version: string;
    /** The release number of a pinned color. */
    readonly number?: number;
    /** Digest of the env, secrets' names, resources, probes and shutdown the track runs (`podConfigHash`). */
    readonly configHash: string;
}

/** What each track of a service runs, which color is live and which one was live before the last promotion. */
export type ServiceVersions =
    | { readonly strategy: "rolling"; readonly rolling: TrackVersion }
    | { readonly strategy: "blueGreen"; readonly live: Color; readonly previous?: Color; readonly blue: TrackVersion; readonly green: TrackVersion };

/** Skips the provider's wait for endpoints: the Service exists before its pods, and its pods' readiness is awaited on their Deployment. */
const skipAwait = { "pulumi.com/skipAwait": "true" };

/**
 * One service on the cluster: rolling (one Deployment) or blue/green (per color a Deployment,
 * HPA, PDB, Service, and the immutable ConfigMap and Secret it reads), with its ServiceAccount,
 * database Secret, NetworkPolicies and one Ingress.
 *
 * Order: Services, then the Ingress (awaited until the controller has made the ALB, its target
 * groups and their TargetGroupBindings: controllers/ingress/group_controller.go sets the status
 * after deploying them), then the Deployments. The controller's webhook injects a pod's readiness
 * gate only at its creation and only when a TargetGroupBinding refers to a Service selecting it
 * (pkg/inject/pod_readiness/pod_readiness_gate.go), so every pod, from the first, is ready only
 * once its ALB target is healthy.
 */
export class Service extends pulumi.ComponentResource {
    /** Where the service answers: its host, or the ALB's name. */
    readonly url: pulumi.Output<string>;
    /** What each track runs and which color is live: what `npm run release` reads back. */
    readonly versions: ServiceVersions;

    private readonly meta: (objectName: pulumi.Input<string>, labels?: Record<string, string>, annotations?: Record<string, pulumi.Input<string>>) => object;

    constructor(name: string, args: ServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:services:Service", name, {}, opts);
        const { settings } = args;
        const parent = { parent: this };
        this.meta = (objectName, labels, annotations) => ({ name: objectName, namespace: args.namespace, labels: labels ?? serviceLabels(settings.name), annotations });

        new k8s.networking.v1.NetworkPolicy(`${name}-default-deny`, { metadata: this.meta("default-deny"), spec: defaultDenySpec }, parent);
        const database = settings.database.enabled ? args.database : undefined;
        new k8s.networking.v1.NetworkPolicy(`${name}-allow`, { metadata: this.meta(settings.name), spec: allowSpec(settings, { ...args.network, databaseCidrs: database?.cidrs ?? [] }) }, parent);
        const accountSpec = serviceAccountSpec(settings);
        const account = new k8s.core.v1.ServiceAccount(
            `${name}`,
            { metadata: this.meta(settings.name, undefined, accountSpec.annotations), automountServiceAccountToken: accountSpec.automountServiceAccountToken },
            parent,
        );
        const states = trackStates(settings, args.image.tag);
        // A login per track, each made from the track's own settings: a password rotation released to the idle color stays there.
        const access = database ? new DatabaseAccess(name, new Map([...states].map(([track, state]) => [track, state.settings])), database, (n) => this.meta(n), this) : undefined;
        const services = new Map<Track, k8s.core.v1.Service>();
        for (const [track, state] of states) {
            services.set(track, this.kubernetesService(`${name}${track === "rolling" ? "" : `-${track}`}`, state.settings, track));
        }
        const live = liveTrack(settings);
        let ingress: k8s.networking.v1.Ingress | undefined;
        if (settings.ingress.enabled) {
            const routing = live === "rolling" ? { annotations: {}, spec: rollingIngressSpec(settings) } : weightedRouting(settings, live);
            ingress = new k8s.networking.v1.Ingress(
                name,
                {
                    metadata: this.meta(ingressName(settings.name), undefined, { ...albAnnotations(settings, args.albGroup), ...args.edgeAnnotations, ...routing.annotations }),
                    spec: routing.spec,
                },
                { parent: this, dependsOn: [...services.values(), ...args.prerequisites] },
            );
        }

        const configs = new Map<string, k8s.core.v1.ConfigMap>();
        const secrets = new Map<string, k8s.core.v1.Secret>();
        for (const [track, state] of states) {
            const logical = track === "rolling" ? name : `${name}-${track}`;
            const configMap = this.configMap(configs, configData(state.settings, access !== undefined), state.settings.name);
            const appSecret = this.appSecret(secrets, state.settings, args.secrets);
            new k8s.apps.v1.Deployment(
                logical,
                {
                    metadata: this.meta(trackName(settings.name, track), trackLabels(settings.name, track)),
                    spec: deploymentSpec({
                        settings: state.settings,
                        profile: args.profile,
                        track,
                        image: args.image.refFor(state.version),
                        configMap: configMap.metadata.name,
                        databaseSecret: access?.secretName(track),
                        appSecret: appSecret?.metadata.name,
                        serviceAccount: account.metadata.name,
                    }),
                },
                // After the Ingress: its target groups' bindings must exist when the first pod is created.
                { parent: this, dependsOn: ingress ? [ingress] : [services.get(track) as k8s.core.v1.Service], ignoreChanges: [...hpaOwnedFields] },
            );
            const trackMeta = this.meta(trackName(settings.name, track), trackLabels(settings.name, track));
            new k8s.autoscaling.v2.HorizontalPodAutoscaler(logical, { metadata: trackMeta, spec: hpaSpec(state.settings, track) }, { parent: this, dependsOn: args.prerequisites });
            new k8s.policy.v1.PodDisruptionBudget(logical, { metadata: trackMeta, spec: pdbSpec(state.settings, track) }, parent);
        }

        this.versions = serviceVersions(settings, states);
        this.url = serviceUrl(settings, ingress);
        this.registerOutputs({ url: this.url, versions: this.versions });
    }

    /** The immutable ConfigMap a track reads, named by its data; tracks with equal data share one. */
    private configMap(made: Map<string, k8s.core.v1.ConfigMap>, data: Record<string, string>, service: string): k8s.core.v1.ConfigMap {
        const objectName = configMapName(service, data);
        const existing = made.get(objectName);
        if (existing) {
            return existing;
        }
        const configMap = new k8s.core.v1.ConfigMap(objectName, { metadata: this.meta(objectName), immutable: true, data }, { parent: this });
        made.set(objectName, configMap);
        return configMap;
    }

    /** The immutable Secret of the secrets a track names, named by its content; none when it names none. */
    private appSecret(made: Map<string, k8s.core.v1.Secret>, settings: ServiceSettings, values: Record<string, string>): k8s.core.v1.Secret | undefined {
        if (settings.secrets.length === 0) {
            return undefined;
        }
        const own = Object.fromEntries(settings.secrets.map((key) => [key, values[key]]));
        const objectName = appSecretName(settings.name, own);
        const existing = made.get(objectName);
        if (existing) {
            return existing;
        }
        const secret = new k8s.core.v1.Secret(objectName, { metadata: this.meta(objectName), type: "Opaque", immutable: true, stringData: pulumi.secret(own) }, { parent: this });
        made.set(objectName, secret);
        return secret;
    }

    /** A track's ClusterIP Service: its selector never changes; its target group is health-checked on the track's readiness path. */
    private kubernetesService(logical: string, settings: ServiceSettings, track: Track): k8s.core.v1.Service {
        const objectName = trackName(settings.name, track);
        return new k8s.core.v1.Service(
            logical,
            {
                metadata: this.meta(objectName, trackLabels(settings.name, track), { ...skipAwait, ...healthCheckAnnotations(settings) }),
                spec: { type: "ClusterIP", selector: podSelector(settings.name, track), ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }] },
            },
            { parent: this },
        );
    }
}

/** The `serviceVersions` output of a service. */
function serviceVersions(settings: ServiceSettings, states: Map<Track, TrackState>): ServiceVersions {
    const show = (state: TrackState): TrackVersion => ({
        version: state.version,
        ...(state.number !== undefined ? { number: state.number } : {}),
        configHash: podConfigHash(podConfigOf(state.settings)),
    });
    if (settings.strategy === "rolling") {
        return { strategy: "rolling", rolling: show(states.get("rolling") as TrackState) };
    }
    const { active, previous } = settings.release;
    return {
        strategy: "blueGreen",
        live: active,
        ...(previous !== undefined ? { previous } : {}),
        blue: show(states.get("blue") as TrackState),
        green: show(states.get("green") as TrackState),
    };
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
