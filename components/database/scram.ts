import { createHash, createHmac, pbkdf2Sync } from "crypto";

/** PostgreSQL's default `scram_iterations`. */
export const scramIterations = 4096;

/**
 * The SCRAM-SHA-256 verifier PostgreSQL stores for `password` (RFC 5802 and 7677; the format of
 * `scram_build_secret` in PostgreSQL's src/common/scram-common.c):
 * `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`, each part base64. PostgreSQL
 * stores a verifier given to CREATE or ALTER ROLE ... PASSWORD as it is, so the role bootstrap
 * never holds the password. The salt is derived from the password and the login, so the same
 * password always yields the same verifier and a second run of the bootstrap changes nothing.
 * Expects a password of printable ASCII (the generated ones are), which SASLprep leaves as it is.
 */
export function scramVerifier(password: string, login: string, iterations = scramIterations): string {
    const salt = createHmac("sha256", password).update(`scram salt for ${login}`).digest().subarray(0, 16);
    const salted = pbkdf2Sync(password, salt, iterations, 32, "sha256");
    const clientKey = createHmac("sha256", salted).update("Client Key").digest();
    const storedKey = createHash("sha256").update(clientKey).digest();
    const serverKey = createHmac("sha256", salted).update("Server Key").digest();
    return `SCRAM-SHA-256$${iterations}:${salt.toString("base64")}$${storedKey.toString("base64")}:${serverKey.toString("base64")}`;
}
