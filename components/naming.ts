/** The EKS cluster's name: subnets are tagged for it before it exists, so both sides derive it here. */
export function clusterName(config: { project: string; stack: string }): string {
    return `${config.project}-${config.stack}`;
}

/** The RDS instance identifier: its log groups and final snapshot are named after it. */
export function databaseIdentifier(config: { project: string; stack: string }): string {
    return `${clusterName(config)}-postgres`;
}

/** Tags the load balancer controller puts on the stack's ALBs: the alarms find them by `stack`. */
export function albTags(config: { project: string; stack: string }): Record<string, string> {
    return { project: config.project, stack: config.stack };
}

/** The ALB group a service's Ingresses share: one ALB per service, named for the stack. */
export function albGroupName(config: { project: string; stack: string }, service: string): string {
    return `${clusterName(config)}-${service}`;
}

/**
 * The strictest of the names derived from `<project>-<stack>`: an RDS identifier starts with a
 * letter and holds letters, digits and single hyphens (RDS CreateDBInstance, DBInstanceIdentifier);
 * an ALB group name is lowercase (aws-load-balancer-controller v3.5.0 pkg/ingress/group_loader.go,
 * groupNameRegex); a KMS alias takes no dot.
 */
const derivedName = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** RDS identifiers and ALB group names may have 63 characters. */
export const nameLimit = 63;

/**
 * Why the project, stack and service names cannot name this stack's AWS resources, one line each;
 * empty when they can. Checked before anything is created: AWS would refuse the names halfway.
 */
export function namingProblems(config: { project: string; stack: string; services: readonly { name: string; ingress: { enabled: boolean } }[] }): string[] {
    const cluster = clusterName(config);
    const database = databaseIdentifier(config);
    if (!derivedName.test(cluster)) {
        return [
            `project and stack ${JSON.stringify(cluster)}: the cluster, database and load balancers are named after it; use lowercase letters, digits and single '-', starting with a letter`,
        ];
    }
    if (database.length > nameLimit) {
        return [`project and stack ${JSON.stringify(cluster)}: makes the database identifier ${database} longer than ${nameLimit} characters; use a shorter stack name`];
    }
    return config.services.flatMap((service, i) => {
        const group = albGroupName(config, service.name);
        return service.ingress.enabled && group.length > nameLimit
            ? [`services[${i}].name: ${JSON.stringify(service.name)} makes the ALB group ${group} longer than ${nameLimit} characters; use at most ${nameLimit - cluster.length - 1}`]
            : [];
    });
}
