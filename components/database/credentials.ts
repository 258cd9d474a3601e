import * as random from "@pulumi/random";
import type * as pulumi from "@pulumi/pulumi";

/** Characters RDS accepts in a master password (no `/`, `@`, `"` or space) that need no URL escaping in most drivers. */
export const passwordSpecials = "!#$%&*()-_=+[]{}<>:?";

/**
 * The master password, generated once and kept a secret end to end: Pulumi encrypts it in
 * state, it reaches services only through a Kubernetes Secret, and it never appears in a file.
 */
export function createPassword(name: string, parent: pulumi.Resource): random.RandomPassword {
    return new random.RandomPassword(name, { length: 32, special: true, overrideSpecial: passwordSpecials, minSpecial: 2 }, { parent });
}
