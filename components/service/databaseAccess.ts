import { createHash } from "crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { ServiceSettings } from "../../config/sections/services";
import type { RoleBootstrap } from "../database/roleBootstrap";
import { loginName } from "../database/roleNames";
import { scramVerifier } from "../database/scram";
import { databaseSecretDir } from "./container";
import type { Track } from "./labels";

/** The database as a service sees it: where it answers, whom to trust, and who makes its role. No master credentials. */
export interface ServiceDatabase {
    readonly host: pulumi.Input<string>;
    readonly port: pulumi.Input<string>;
    /** The database the services' schemas live in. */
    readonly name: string;
    /** The RDS CA bundle of the stack's region, PEM, mounted beside the credentials. */
    readonly caBundle: string;
    /** The database's subnets, the only place the pods may open 5432 to. */
    readonly cidrs: pulumi.Input<string>[];
    /** Makes and updates each service's role and logins. */
    readonly roles: RoleBootstrap;
    /** The image whose `dist/bootstrap.js` the role bootstrap runs. */
    readonly bootstrapImage: pulumi.Input<string>;
}

/** A track's Secret name: a digest of what it holds besides the password, which the login name already follows. */
export function databaseSecretName(service: string, track: Track, content: Record<string, string>): string {
    const digest = createHash("sha256").update(JSON.stringify(Object.entries(content).sort())).digest("hex").slice(0, 10);
    return `${service}-database-${track}-${digest}`;
}

/** One track's credentials: what its Secret holds and what the role bootstrap applies. */
interface TrackLogin {
    readonly name: pulumi.Output<string>;
    readonly password: pulumi.Output<string>;
    readonly verifier: pulumi.Output<string>;
}

/**
 * The service's database access, one login per track: a generated password (a new one when
 * `database.passwordVersion` changes), the login named after it, the role bootstrap's Job that
 * makes it, and an immutable Secret named by its content that the track's pods mount. A new
 * login is a new Secret name, so the track's Deployment rolls the way its strategy does, while
 * the previous login keeps working for the pods not yet replaced.
 */
export class DatabaseAccess {
    private readonly secretNames = new Map<Track, pulumi.Output<string>>();
    /** The Job that made the logins: the Secrets, and so the pods, wait for it. */
    readonly job: k8s.batch.v1.Job;

    /** `tracks`: each track with the settings it runs (a blue/green color's own, pinned by its release: its `database.passwordVersion` too). */
    constructor(name: string, tracks: ReadonlyMap<Track, ServiceSettings>, database: ServiceDatabase, metadata: (objectName: pulumi.Input<string>) => object, parent: pulumi.Resource) {
        const logins = new Map<Track, TrackLogin>();
        const service = [...tracks.values()][0].name;
        for (const [track, settings] of tracks) {
            const password = new random.RandomPassword(
                `${name}-database-${track}`,
                { length: 40, special: false, keepers: { passwordVersion: String(settings.database.passwordVersion) } },
                { parent },
            ).result;
            const login = pulumi.unsecret(password.apply((value) => loginName(service, track, value)));
            logins.set(track, { name: login, password: pulumi.secret(password), verifier: pulumi.secret(pulumi.all([password, login]).apply(([value, user]) => scramVerifier(value, user))) });
        }
        const plan = pulumi.secret(
            pulumi.all([...logins.values()].map((login) => pulumi.all([login.name, login.verifier]))).apply((pairs) => ({
                role: service,
                logins: pairs.map(([loginName, verifier]) => ({ name: loginName, verifier })),
            })),
        );
        this.job = database.roles.run(service, plan, database.bootstrapImage);
        for (const [track, login] of logins) {
            const visible = { host: database.host, port: database.port, name: database.name, username: login.name, "ca.pem": database.caBundle };
            const secretName = pulumi.output(visible).apply((content) => databaseSecretName(service, track, content));
            const secret = new k8s.core.v1.Secret(
                `${name}-database-${track}`,
                { metadata: metadata(secretName), type: "Opaque", immutable: true, stringData: pulumi.secret({ ...visible, password: login.password }) },
                { parent, dependsOn: [this.job] },
            );
            this.secretNames.set(track, secret.metadata.name);
        }
    }

    /** The Secret a track's pods mount at {@link databaseSecretDir}. */
    secretName(track: Track): pulumi.Output<string> {
        const name = this.secretNames.get(track);
        if (!name) {
            throw new Error(`no database login for track ${track}`);
        }
        return name;
    }
}
