import { createHash } from "crypto";

/** The tracks a service runs: one Deployment for rolling, one per color for blue/green. */
export type LoginTrack = "rolling" | "blue" | "green";

/** Longest service name that leaves room for `_green_<8 hex>` within PostgreSQL's 63-byte names. */
export const maxRoleNameLength = 48;

/** The example service's folder: its image carries the role bootstrap's entry point, `dist/bootstrap.js`. */
export const roleBootstrapSource = "services/api";

/** The namespace only the role bootstrap uses; no service may take its name. */
export const roleBootstrapNamespace = "database-roles";

/** Role names PostgreSQL reserves (`public`, `none`), its default superuser, and RDS's own roles (`rdsadmin`, `rdstopmgr`, ...). */
function reservedRoleName(name: string): boolean {
    return ["public", "none", "postgres"].includes(name) || name.startsWith("rds");
}

/**
 * Why `service` cannot be a service of the stack: its name is the role bootstrap's namespace, or,
 * when it uses the database, cannot name a PostgreSQL role next to the master `masterUsername`.
 * Undefined when it can.
 */
export function serviceRoleProblem(service: string, usesDatabase: boolean, masterUsername: string): string | undefined {
    if (service === roleBootstrapNamespace) {
        return "is the namespace of the database role bootstrap; choose another name";
    }
    if (!usesDatabase) {
        return undefined;
    }
    if (service.length > maxRoleNameLength) {
        return `is longer than ${maxRoleNameLength} characters, too long to name its PostgreSQL role and logins (at most 63 bytes); shorten it or set database.enabled false`;
    }
    if (reservedRoleName(service) || service === masterUsername) {
        return "names a PostgreSQL role that PostgreSQL, RDS or the master user already holds; rename the service or set database.enabled false";
    }
    return undefined;
}

/**
 * The login a track of `service` uses with `password`: `<service>_<hex>` for rolling,
 * `<service>_<color>_<hex>` for blue/green, the hex taken from a hash of the password. A new
 * password is a new login, so the old one keeps working for the pods that still hold it while
 * the new ones roll out.
 */
export function loginName(service: string, track: LoginTrack, password: string): string {
    const hex = createHash("sha256").update(`login of ${service}:${password}`).digest("hex").slice(0, 8);
    return track === "rolling" ? `${service}_${hex}` : `${service}_${track}_${hex}`;
}
