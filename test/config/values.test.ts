import { strict as assert } from "assert";
import fc from "fast-check";
import { instanceArchitecture } from "../../config/architecture";
import { configReference } from "../../config/reference";
import { logRetentionDays } from "../../config/sections/network";
import { reservedNamespaces } from "../../config/sections/serviceChecks";
import { defaultPodConfig } from "../services/bluegreenFixtures";
import { problemsOf } from "./source";

// Classes of values the schema's types let through and AWS, the Kubernetes API server or the
// platform would refuse later: each is refused up front, naming the key, the value and what is allowed.

const runs = { numRuns: 25 };
const api = { name: "api", source: "services/api" };
const withKey = (problems: string[], key: string) => problems.filter((line) => line.startsWith(`${key}:`) || line.startsWith(`${key}[`) || line.startsWith(`${key}.`));

/** A valid entry of each list, and where the dev stack takes the list (`platform:<key>` with the list's path). */
const listEntries: Record<string, { at: string; entry: fc.Arbitrary<unknown>; extra?: Record<string, unknown> }> = {
    "network.interfaceEndpoints": { at: "platform:network.interfaceEndpoints", entry: fc.constantFrom("ecr.api", "ecr.dkr", "sts", "logs", "ec2", "elasticloadbalancing", "autoscaling") },
    "cluster.adminRoleArns": { at: "platform:cluster.adminRoleArns", entry: fc.stringMatching(/^[a-z]{1,12}$/).map((name) => `arn:aws:iam::123456789012:role/${name}`) },
    "cluster.viewerRoleArns": { at: "platform:cluster.viewerRoleArns", entry: fc.stringMatching(/^[a-z]{1,12}$/).map((name) => `arn:aws:iam::123456789012:role/${name}`) },
    "cluster.publicAccessCidrs": { at: "platform:cluster.publicAccessCidrs", entry: fc.integer({ min: 1, max: 250 }).map((octet) => `203.0.${octet}.0/24`) },
    "cluster.logTypes": { at: "platform:cluster.logTypes", entry: fc.constantFrom("api", "audit", "authenticator", "controllerManager", "scheduler") },
    "cluster.nodeGroups": {
        at: "platform:cluster.nodeGroups",
        entry: fc.stringMatching(/^[a-z]{1,10}$/).map((name) => ({ name, instanceTypes: ["t3.large"], capacityType: "SPOT", minSize: 1, desiredSize: 1, maxSize: 2 })),
    },
    "cluster.nodeGroups[].instanceTypes": { at: "platform:cluster.nodeGroups[0].instanceTypes", entry: fc.constantFrom("t3.large", "t3a.large", "m5.large", "m6i.large", "m7i.large", "c6i.xlarge") },
    "cluster.nodeGroups[].taints": {
        at: "platform:cluster.nodeGroups[0].taints",
        entry: fc.record({ key: fc.stringMatching(/^[a-z]{1,8}$/), value: fc.constant("x"), effect: fc.constantFrom("NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE") }),
    },
    "observability.alarms.emails": { at: "platform:observability.alarms.emails", entry: fc.stringMatching(/^[a-z]{1,10}$/).map((user) => `${user}@example.com`) },
    services: { at: "platform:services", entry: fc.stringMatching(/^[a-z]{1,12}$/).map((name) => ({ name, image: "nginx:1.27.3" })) },
    "services[].secrets": { at: "platform:services[0].secrets", entry: fc.stringMatching(/^[A-Z]{1,10}$/) },
    "services[].blueGreen.preview.sourceCidrs": { at: "platform:services[0].blueGreen.preview.sourceCidrs", entry: fc.integer({ min: 1, max: 250 }).map((octet) => `198.51.${octet}.0/24`) },
    "services[].egress": { at: "platform:services[0].egress", entry: fc.record({ cidr: fc.integer({ min: 1, max: 250 }).map((o) => `10.${o}.0.0/16`), port: fc.integer({ min: 1, max: 65535 }) }) },
};

describe("config: values the types let through and AWS or Kubernetes refuse", () => {
    it("covers every list the stack configures", () => {
        const lists = configReference().filter((row) => row.type.startsWith("list of")).map((row) => row.key);
        assert.deepEqual(Object.keys(listEntries).sort(), lists.sort(), "a new list needs its duplicate check and an entry here");
    });

    for (const [key, { at, entry }] of Object.entries(listEntries)) {
        it(`${key}: an entry given twice is refused, naming where it repeats`, () => {
            const keyOf = (value: unknown) => JSON.stringify(typeof value === "object" && value !== null && "name" in value ? (value as { name: string }).name : value);
            fc.assert(
                fc.property(fc.uniqueArray(entry, { minLength: 1, maxLength: 4, selector: keyOf }), fc.nat(), fc.nat(), (entries, pick, position) => {
                    const twice = entries[pick % entries.length];
                    const list = [...entries];
                    list.splice(position % (list.length + 1), 0, twice);
                    const second = list.lastIndexOf(twice);
                    const repeated = withKey(problemsOf("dev", { "platform:services": [api], [at]: list }), key.replaceAll("[]", "[0]"));
                    assert.ok(
                        repeated.some((line) => line.includes(`[${second}]`) && /is the same .* as \[\d+\]|is the name of another|again/.test(line)),
                        `expected ${key}[${second}] to be refused: ${JSON.stringify(repeated)}`,
                    );
                }),
                runs,
            );
        });
    }

    it("a rollout is refused exactly when the API server refuses it: both bounds zero in any form, or maxUnavailable over 100%", () => {
        const bound = fc.oneof(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 200 }).map((p) => `${p}%`));
        const value = (v: number | string) => (typeof v === "number" ? v : Number.parseInt(v, 10));
        fc.assert(
            fc.property(bound, bound, (maxSurge, maxUnavailable) => {
                const refused = withKey(problemsOf("dev", { "platform:services": [{ ...api, rollout: { maxSurge, maxUnavailable } }] }), "services[0].rollout");
                const apiServerRefuses = (value(maxSurge) === 0 && value(maxUnavailable) === 0) || (typeof maxUnavailable === "string" && value(maxUnavailable) > 100);
                assert.equal(refused.length > 0, apiServerRefuses, JSON.stringify({ maxSurge, maxUnavailable, refused }));
                assert.ok(refused.every((line) => line.startsWith("services[0].rollout.maxUnavailable: ")), "named at maxUnavailable, with its value");
            }),
            { numRuns: 60 },
        );
    });

    for (const key of ["network.flowLogs.retentionDays", "observability.logRetentionDays", "database.logRetentionDays"]) {
        it(`${key} takes exactly the retention periods CloudWatch Logs accepts`, () => {
            const [section, ...rest] = key.split(".");
            fc.assert(
                fc.property(fc.integer({ min: 1, max: 4000 }), (days) => {
                    const refused = withKey(problemsOf("dev", { [`platform:${section}.${rest.join(".")}`]: days }), key);
                    assert.equal(refused.length > 0, !(logRetentionDays as readonly number[]).includes(days), `${days}: ${refused}`);
                }),
                runs,
            );
        });
    }

    it("node groups run the images' architecture: an instance type of the other one is refused, naming it", () => {
        const x86 = ["t3.large", "t3a.large", "m5.large", "m6i.large", "m7i.large", "m7i-flex.large", "c7a.xlarge", "r7iz.large", "g5.xlarge", "inf2.xlarge"];
        const graviton = ["t4g.large", "m6g.large", "m7g.large", "m7gd.large", "c7gn.large", "r8g.large", "im4gn.large", "a1.large", "g5g.xlarge", "x2gd.large"];
        assert.ok(x86.every((t) => instanceArchitecture(t) === "amd64") && graviton.every((t) => instanceArchitecture(t) === "arm64"));
        fc.assert(
            fc.property(fc.constantFrom("linux/amd64", "linux/arm64"), fc.uniqueArray(fc.constantFrom(...x86, ...graviton), { minLength: 1, maxLength: 4 }), (platform, types) => {
                const group = { name: "nodes", instanceTypes: types, capacityType: "SPOT", minSize: 1, desiredSize: 1, maxSize: 2 };
                const refused = withKey(problemsOf("dev", { "platform:images.platform": platform, "platform:cluster": { nodeGroups: [group] } }), "cluster.nodeGroups[0].instanceTypes");
                const wrong = types.map((t, i) => [t, i] as const).filter(([t]) => instanceArchitecture(t) !== platform.slice("linux/".length));
                assert.deepEqual(refused.map((line) => line.slice(0, line.indexOf(":"))), wrong.map(([, i]) => `cluster.nodeGroups[0].instanceTypes[${i}]`));
                assert.ok(refused.every((line) => line.includes(`images are built for ${platform}`)));
            }),
            runs,
        );
    });

    it("a service cannot take a namespace Kubernetes or the platform owns", () => {
        const reserved = fc.oneof(fc.constantFrom(...reservedNamespaces), fc.stringMatching(/^[a-z0-9]{1,20}$/).map((rest) => `kube-${rest}`));
        fc.assert(
            fc.property(reserved, (name) => {
                const refused = withKey(problemsOf("dev", { "platform:services": [{ ...api, name }] }), "services[0].name");
                assert.ok(refused.some((line) => line.includes("names a namespace Kubernetes or the platform owns")), `${name}: ${refused}`);
            }),
            runs,
        );
        assert.deepEqual(problemsOf("dev", { "platform:services": [{ ...api, name: "kubernetes-dashboard" }] }), []);
    });

    it("a storage autoscaling ceiling is 0 or at least 10% above the allocated storage, as RDS requires", () => {
        fc.assert(
            fc.property(fc.integer({ min: 20, max: 5000 }), fc.integer({ min: 1, max: 6000 }), (allocated, ceiling) => {
                const refused = withKey(problemsOf("dev", { "platform:database.allocatedStorageGiB": allocated, "platform:database.maxAllocatedStorageGiB": ceiling }), "database.maxAllocatedStorageGiB");
                assert.equal(refused.length > 0, ceiling < (allocated * 11) / 10, `${allocated} → ${ceiling}: ${refused}`);
            }),
            runs,
        );
    });

    it("a value that is no CIDR gets one line, with no guess at a network", () => {
        fc.assert(
            fc.property(fc.string({ maxLength: 20 }).filter((s) => !/^\d+\.\d+\.\d+\.\d+\/\d+$/.test(s)), (cidr) => {
                const refused = withKey(problemsOf("dev", { "platform:network.cidr": cidr }), "network.cidr");
                assert.equal(refused.length, 1, JSON.stringify(refused));
                assert.match(refused[0], /is not an IPv4 CIDR$/);
            }),
            runs,
        );
        assert.deepEqual(withKey(problemsOf("dev", { "platform:network.cidr": "10.0.0.1/16" }), "network.cidr"), ['network.cidr: "10.0.0.1/16" has host bits set; did you mean 10.0.0.0/16?']);
    });

    it("env names the platform sets itself are refused: the service's value would be dropped", () => {
        const withSecret = { "platform:services": [{ ...api, secrets: ["TOKEN"], env: { PORT: "9000", DATABASE_SSL: "disable", DATABASE_PASSWORD_FILE: "/x", TOKEN_FILE: "/y", LOG_LEVEL: "info" } }], "platform:serviceSecrets": { api: { TOKEN: "t" } } };
        assert.deepEqual(withKey(problemsOf("dev", withSecret), "services[0].env").map((line) => line.slice(0, line.indexOf(":"))), [
            "services[0].env.PORT",
            "services[0].env.DATABASE_SSL",
            "services[0].env.DATABASE_PASSWORD_FILE",
            "services[0].env.TOKEN_FILE",
        ]);
    });

    it("a release names only what the service can run: its strategy's field, and a prebuilt image's own tag or digest", () => {
        const tag = fc.stringMatching(/^[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{1,2}$/);
        fc.assert(
            fc.property(tag, tag, (own, released) => {
                const service = { name: "proxy", image: `nginx:${own}`, strategy: "rolling", release: { version: released } };
                const refused = withKey(problemsOf("dev", { "platform:services": [service] }), "services[0].release.version");
                assert.equal(refused.length > 0, own !== released, JSON.stringify(refused));
                if (own !== released) {
                    assert.match(refused[0], new RegExp(`is not the version of the prebuilt image nginx:${own.replaceAll(".", "\\.")}`));
                }
            }),
            runs,
        );
        const pin = { number: 2, version: "v2", config: defaultPodConfig("dev") };
        assert.deepEqual(withKey(problemsOf("dev", { "platform:services": [{ ...api, strategy: "rolling", release: { active: "blue", colors: { green: pin } } }] }), "services[0].release"), [
            'services[0].release.colors.green: "v2" is pinned on a rolling service, which has no colors; use release.version',
        ]);
        assert.deepEqual(withKey(problemsOf("dev", { "platform:services": [{ ...api, strategy: "blueGreen", release: { active: "blue", version: "v2" } }] }), "services[0].release"), [
            'services[0].release.version: "v2" is set on a blue/green service, which runs what release.colors pins per color',
        ]);
        fc.assert(
            fc.property(tag, tag, (own, released) => {
                const service = { name: "proxy", image: `nginx:${own}`, strategy: "blueGreen", ingress: { enabled: false }, release: { active: "blue", colors: { blue: { ...pin, version: released } } } };
                const refused = withKey(problemsOf("dev", { "platform:services": [service] }), "services[0].release.colors.blue.version");
                assert.equal(refused.length > 0, own !== released, JSON.stringify(refused));
            }),
            runs,
        );
    });
});
