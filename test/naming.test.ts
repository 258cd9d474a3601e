import { strict as assert } from "assert";
import * as fc from "fast-check";
import { albGroupName, clusterName, databaseIdentifier, nameLimit, namingProblems } from "../components/naming";

// What AWS and the controller accept for the names derived from `<project>-<stack>`:
/** RDS DBInstanceIdentifier: 1-63 letters, digits or hyphens; a letter first; no "--"; no hyphen last. */
const rdsIdentifier = (name: string) => /^[a-zA-Z](?!.*--)[a-zA-Z0-9-]{0,62}$/.test(name) && !name.endsWith("-");
/** aws-load-balancer-controller v3.5.0 pkg/ingress/group_loader.go: groupNameRegex and maxGroupNameLength 63. */
const albGroup = (name: string) => /^([a-z0-9][-a-z0-9.]*)?[a-z0-9]$/.test(name) && name.length <= 63;
/** EKS CreateCluster name: 1-100 characters, `^[0-9A-Za-z][A-Za-z0-9\-_]*$`. */
const eksCluster = (name: string) => /^[0-9A-Za-z][A-Za-z0-9\-_]*$/.test(name) && name.length <= 100;
/** KMS alias names: `alias/` then letters, digits, `/`, `_` and `-`. */
const kmsAlias = (name: string) => /^alias\/[a-zA-Z0-9/_-]+$/.test(name);

const word = fc.stringMatching(/^[a-z][a-z0-9]{0,11}(-[a-z0-9]{1,8}){0,2}$/);
const anyName = fc.string({ minLength: 1, maxLength: 40 });

describe("names derived from the project and stack", () => {
    it("every name namingProblems accepts is one AWS and the load balancer controller accept", () => {
        fc.assert(
            fc.property(word, word, fc.array(fc.stringMatching(/^[a-z][a-z0-9-]{0,40}[a-z0-9]$/), { maxLength: 3 }), (project, stack, services) => {
                const config = { project, stack, services: services.map((name) => ({ name, ingress: { enabled: true } })) };
                fc.pre(namingProblems(config).length === 0);
                assert.ok(eksCluster(clusterName(config)), clusterName(config));
                assert.ok(rdsIdentifier(databaseIdentifier(config)), databaseIdentifier(config));
                assert.ok(kmsAlias(`alias/${clusterName(config)}-secrets`));
                for (const service of services) {
                    assert.ok(albGroup(albGroupName(config, service)), albGroupName(config, service));
                }
            }),
        );
    });

    it("reports, rather than passes on to AWS, a stack name AWS would refuse", () => {
        fc.assert(
            fc.property(word, anyName, (project, stack) => {
                const config = { project, stack, services: [] };
                const acceptable = rdsIdentifier(databaseIdentifier(config)) && albGroup(clusterName(config)) && kmsAlias(`alias/${clusterName(config)}-secrets`);
                assert.equal(namingProblems(config).length === 0, acceptable && databaseIdentifier(config).length <= nameLimit, stack);
            }),
        );
        assert.deepEqual(namingProblems({ project: "platform", stack: "prod_eu", services: [] }), [
            `project and stack "platform-prod_eu": the cluster, database and load balancers are named after it; use lowercase letters, digits and single '-', starting with a letter`,
        ]);
    });
});
