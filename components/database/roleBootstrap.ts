import { createHash } from "crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { containerSecurityContext } from "../service/container";
import { defaultDenySpec } from "../service/networkPolicy";
import type { RolePlan } from "../../services/api/src/roles";
import { roleBootstrapNamespace } from "./roleNames";

/** Where the Job finds the master's connection and the plan, one file per value. */
const masterDir = "/var/run/secrets/platform/database";
const planDir = "/var/run/secrets/platform/plan";


export interface RoleBootstrapArgs {
    /** The database as its master user reaches it; the only place the master's credentials go. */
    readonly master: {
        readonly host: pulumi.Input<string>;
        readonly port: pulumi.Input<string>;
        readonly name: string;
        readonly username: string;
        readonly password: pulumi.Input<string>;
    };
    /**
     * What identifies the database instance (its DbiResourceId): a database replaced or restored
     * from a snapshot keeps its identifier and host name, but holds no roles (a new one) or the
     * roles and verifiers of the snapshot's time (a restore), so every service's Job runs again on
     * a new instance and sets its logins to this plan.
     */
    readonly instance: pulumi.Input<string>;
    /** The RDS CA bundle of the stack's region: the Job verifies the database against it. */
    readonly caBundle: string;
    /** The database's subnets, the only place the Job may open 5432 to. */
    readonly databaseCidrs: pulumi.Input<string>[];
    /** What lets the nodes' pods reach the database (its security group's rule): every Job waits for it. */
    readonly databaseAccess: pulumi.Resource[];
}

/** The Job's name: the service and a digest of the login names and the database instance, so a new plan or a new database is a new Job. */
export function jobName(service: string, loginNames: readonly string[], instance: string): string {
    return `${service}-roles-${createHash("sha256").update(JSON.stringify([[...loginNames].sort(), instance])).digest("hex").slice(0, 10)}`;
}

const labels = { "app.kubernetes.io/name": "role-bootstrap", "app.kubernetes.io/part-of": "platform", "app.kubernetes.io/managed-by": "pulumi" };

/**
 * The one place the master credentials live in the cluster: a namespace of its own (no service
 * runs there), a Secret with the master's connection, a NetworkPolicy that lets its pods reach
 * DNS and the database and nothing else. {@link RoleBootstrap.run} adds a Job per service that
 * makes and updates the service's role and logins; `pulumi up` waits for it and fails with its
 * error.
 */
export class RoleBootstrap extends pulumi.ComponentResource {
    readonly namespace: pulumi.Output<string>;
    private readonly masterSecret: pulumi.Output<string>;
    private readonly account: pulumi.Output<string>;
    private readonly ready: pulumi.Resource[];
    private readonly instance: pulumi.Input<string>;

    constructor(name: string, args: RoleBootstrapArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:database:RoleBootstrap", name, {}, opts);
        const parent = { parent: this };
        // Its pods meet the restricted Pod Security level, so it is enforced whatever the stack's setting.
        const namespace = new k8s.core.v1.Namespace(
            name,
            {
                metadata: {
                    name: roleBootstrapNamespace,
                    labels: { "pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/warn": "restricted", "pod-security.kubernetes.io/audit": "restricted" },
                },
            },
            parent,
        );
        this.namespace = namespace.metadata.name;
        const meta = (objectName: string) => ({ name: objectName, namespace: this.namespace, labels });
        const policies = [
            new k8s.networking.v1.NetworkPolicy(`${name}-default-deny`, { metadata: meta("default-deny"), spec: defaultDenySpec }, parent),
            new k8s.networking.v1.NetworkPolicy(
                `${name}-database`,
                {
                    metadata: meta("role-bootstrap"),
                    spec: {
                        podSelector: { matchLabels: { "app.kubernetes.io/name": labels["app.kubernetes.io/name"] } },
                        policyTypes: ["Ingress", "Egress"],
                        egress: [
                            {
                                to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
                                ports: [{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }],
                            },
                            { to: args.databaseCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [{ protocol: "TCP", port: 5432 }] },
                        ],
                    },
                },
                parent,
            ),
        ];
        const account = new k8s.core.v1.ServiceAccount(name, { metadata: meta("role-bootstrap"), automountServiceAccountToken: false }, parent);
        const master = new k8s.core.v1.Secret(
            `${name}-master`,
            {
                metadata: meta("database-master"),
                type: "Opaque",
                stringData: pulumi.secret({
                    host: args.master.host,
                    port: args.master.port,
                    name: args.master.name,
                    username: args.master.username,
                    password: args.master.password,
                    "ca.pem": args.caBundle,
                }),
            },
            parent,
        );
        this.masterSecret = master.metadata.name;
        this.account = account.metadata.name;
        this.ready = [...policies, master, account, ...args.databaseAccess];
        this.instance = args.instance;
        this.registerOutputs({ namespace: this.namespace });
    }

    /**
     * Applies `plan` for `service` with the bootstrap entry point of `image`: the plan (its
     * verifiers are secret) in a Secret, read by a Job that `pulumi up` awaits. A new plan, image or
     * database instance is a new Job; an unchanged one runs nothing. A new name replaces the Job,
     * the old one deleted first (`deleteBeforeReplace`; a name change replaces a Kubernetes object:
     * pulumi-kubernetes v4.32.0 provider/pkg/provider/provider.go, Diff: `.metadata.name` forces it).
     */
    run(service: string, plan: pulumi.Output<RolePlan>, image: pulumi.Input<string>): k8s.batch.v1.Job {
        const parent = { parent: this };
        const names = pulumi.unsecret(pulumi.all([plan, this.instance]).apply(([p, instance]) => jobName(service, p.logins.map((login) => login.name), instance)));
        const planSecret = new k8s.core.v1.Secret(
            `${service}-role-plan`,
            { metadata: { name: names, namespace: this.namespace, labels }, type: "Opaque", stringData: { "plan.json": pulumi.secret(plan.apply((p) => JSON.stringify(p))) } },
            parent,
        );
        const file = (key: string) => `${masterDir}/${key}`;
        return new k8s.batch.v1.Job(
            `${service}-roles`,
            {
                metadata: {
                    name: names,
                    namespace: this.namespace,
                    labels: { ...labels, "platform.io/service": service },
                    // A Job that failed (the database was away) runs again on the next `up` instead of being waited for.
                    annotations: { "pulumi.com/replaceUnready": "true" },
                },
                spec: {
                    backoffLimit: 2,
                    activeDeadlineSeconds: 300,
                    template: {
                        metadata: { labels: { ...labels, "platform.io/service": service } },
                        spec: {
                            restartPolicy: "Never",
                            serviceAccountName: this.account,
                            automountServiceAccountToken: false,
                            securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: "RuntimeDefault" } },
                            containers: [
                                {
                                    name: "bootstrap",
                                    image,
                                    // Exec form, no shell: the image holds node and the entry point only.
                                    command: ["node", "dist/bootstrap.js"],
                                    env: [
                                        { name: "DATABASE_HOST_FILE", value: file("host") },
                                        { name: "DATABASE_PORT_FILE", value: file("port") },
                                        { name: "DATABASE_NAME_FILE", value: file("name") },
                                        { name: "DATABASE_USER_FILE", value: file("username") },
                                        { name: "DATABASE_PASSWORD_FILE", value: file("password") },
                                        { name: "DATABASE_SSL", value: "verify-full" },
                                        { name: "DATABASE_SSL_CA_FILE", value: file("ca.pem") },
                                        { name: "ROLE_PLAN_FILE", value: `${planDir}/plan.json` },
                                    ],
                                    resources: { requests: { cpu: "50m", memory: "64Mi", "ephemeral-storage": "16Mi" }, limits: { cpu: "500m", memory: "256Mi", "ephemeral-storage": "64Mi" } },
                                    securityContext: containerSecurityContext,
                                    // Its last log line (the database's own error) becomes the message `pulumi up` prints.
                                    terminationMessagePolicy: "FallbackToLogsOnError",
                                    volumeMounts: [
                                        { name: "master", mountPath: masterDir, readOnly: true },
                                        { name: "plan", mountPath: planDir, readOnly: true },
                                    ],
                                },
                            ],
                            volumes: [
                                { name: "master", secret: { secretName: this.masterSecret, defaultMode: 0o440 } },
                                { name: "plan", secret: { secretName: planSecret.metadata.name, defaultMode: 0o440 } },
                            ],
                        },
                    },
                },
            },
            { parent: this, dependsOn: this.ready, deleteBeforeReplace: true },
        );
    }
}
