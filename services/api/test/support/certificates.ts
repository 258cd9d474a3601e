import { generateKeyPairSync, randomBytes } from "crypto";
import forge from "node-forge";

/** A certificate and its private key, both PEM. */
export interface Issued {
    readonly certificate: string;
    readonly privateKey: string;
}

const day = 24 * 60 * 60 * 1000;

/** An RSA key pair from Node's own crypto (fast), in forge's form. */
function keyPair(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey; pem: string } {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const key = forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey;
    return { privateKey: key, publicKey: forge.pki.setRsaPublicKey(key.n, key.e), pem };
}

function certificateFor(commonName: string, publicKey: forge.pki.PublicKey): forge.pki.Certificate {
    const cert = forge.pki.createCertificate();
    cert.publicKey = publicKey;
    // A positive serial: the high bit clear.
    cert.serialNumber = `01${randomBytes(8).toString("hex")}`;
    cert.validity.notBefore = new Date(Date.now() - day);
    cert.validity.notAfter = new Date(Date.now() + 30 * day);
    cert.setSubject([{ name: "commonName", value: commonName }]);
    return cert;
}

/**
 * A certificate authority made for one test run, standing in for the RDS CA a pod trusts: it
 * signs server certificates for the names and addresses a test asks for.
 */
export class TestAuthority {
    private constructor(
        private readonly cert: forge.pki.Certificate,
        private readonly key: forge.pki.rsa.PrivateKey,
    ) {}

    /** The authority's certificate, PEM: what a client trusts. */
    get certificate(): string {
        return forge.pki.certificateToPem(this.cert);
    }

    static create(name: string): TestAuthority {
        const keys = keyPair();
        const cert = certificateFor(name, keys.publicKey);
        cert.setIssuer(cert.subject.attributes);
        cert.setExtensions([
            { name: "basicConstraints", cA: true, pathLenConstraint: 0, critical: true },
            { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
            { name: "subjectKeyIdentifier" },
        ]);
        cert.sign(keys.privateKey, forge.md.sha256.create());
        return new TestAuthority(cert, keys.privateKey);
    }

    /** A server certificate for `names` (DNS names or IP addresses), signed by this authority. */
    issueServer(names: readonly string[]): Issued {
        const keys = keyPair();
        const cert = certificateFor(names[0], keys.publicKey);
        cert.setIssuer(this.cert.subject.attributes);
        cert.setExtensions([
            { name: "basicConstraints", cA: false, critical: true },
            { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
            { name: "extKeyUsage", serverAuth: true },
            { name: "subjectAltName", altNames: names.map((value) => (/^[\d.]+$/.test(value) ? { type: 7, ip: value } : { type: 2, value })) },
            { name: "authorityKeyIdentifier", keyIdentifier: this.cert.generateSubjectKeyIdentifier().getBytes() },
        ]);
        cert.sign(this.key, forge.md.sha256.create());
        return { certificate: forge.pki.certificateToPem(cert), privateKey: keys.pem };
    }
}
