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
