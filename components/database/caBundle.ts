import { createHash, X509Certificate } from "crypto";
import * as fs from "fs";
import * as path from "path";

/**
 * The RDS certificate authorities, as AWS publishes them for every region at
 * https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem (AWS RDS User Guide,
 * "Using SSL/TLS to encrypt a connection to a DB instance"). The copy beside this file is pinned
 * by its SHA-256: a changed file is refused until this pin changes with it (docs/database.md,
 * "Refreshing the CA bundle").
 */
export const rdsGlobalBundle = {
    file: path.join(__dirname, "certificates", "rds-global-bundle.pem"),
    sha256: "516c8cb5e3436763cdd4fa5aa480cab529e7a1a75a35afa458a9d50d89618e4f",
} as const;

/** The pinned global bundle's text; throws when the file is not the pinned one. */
export function pinnedGlobalBundle(read: (file: string) => Buffer = (file) => fs.readFileSync(file)): string {
    const content = read(rdsGlobalBundle.file);
    const digest = createHash("sha256").update(content).digest("hex");
    if (digest !== rdsGlobalBundle.sha256) {
        throw new Error(
            `${path.relative(process.cwd(), rdsGlobalBundle.file)} has SHA-256 ${digest}, not the pinned ${rdsGlobalBundle.sha256}; after refreshing it from AWS, update the pin in components/database/caBundle.ts`,
        );
    }
    return content.toString("utf8");
}

/** Each certificate of a PEM bundle, in order. */
export function certificatesOf(bundle: string): string[] {
    return (bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map((pem) => pem.replace(/\r\n/g, "\n"));
}

/** Each bundle's certificates with their subjects' parts, parsed once: the config checks the region against the bundle the build then mounts. */
const parsedBundles = new Map<string, { pem: string; subject: string[] }[]>();

function subjectsOf(bundle: string): { pem: string; subject: string[] }[] {
    let parsed = parsedBundles.get(bundle);
    if (!parsed) {
        parsed = certificatesOf(bundle).map((pem) => ({ pem, subject: new X509Certificate(pem).subject.split("\n") }));
        parsedBundles.set(bundle, parsed);
    }
    return parsed;
}

/**
 * The root authorities RDS uses in `region` (`Amazon RDS <region> Root CA RSA2048 G1`, `RSA4096
 * G1`, `ECC384 G1`: the content of AWS's `<region>-bundle.pem`), taken from the global bundle:
 * pods trust their own region's database CAs and no other.
 */
export function regionCaBundle(globalBundle: string, region: string): string {
    const root = new RegExp(`^CN=Amazon RDS ${region.replace(/[^a-z0-9-]/g, "")} Root CA (RSA2048|RSA4096|ECC384) G\\d+$`);
    const mine = subjectsOf(globalBundle)
        .filter(({ subject }) => subject.some((part) => root.test(part)))
        .map(({ pem }) => pem);
    if (mine.length === 0) {
        throw new Error(`aws:region: "${region}" has no RDS certificate authority in the pinned bundle ${path.basename(rdsGlobalBundle.file)}; refresh it (docs/database.md)`);
    }
    return `${mine.join("\n")}\n`;
}
