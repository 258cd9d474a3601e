import { clusterRules } from "./cluster";
import { databaseRules } from "./database";
import { disruptionRules } from "./disruption";
import { imagesRules } from "./images";
import { ingressRules } from "./ingress";
import { isolationRules } from "./isolation";
import { networkRules } from "./network";
import { secretsRules } from "./secrets";
import type { Rule } from "./types";
import { workloadRules } from "./workloads";

export * from "./review";
export type * from "./types";

/** Every rule of the platform, grouped by the part of the platform it guards. */
export const rules: readonly Rule[] = [
    ...networkRules,
    ...clusterRules,
    ...databaseRules,
    ...imagesRules,
    ...workloadRules,
    ...disruptionRules,
    ...isolationRules,
    ...ingressRules,
    ...secretsRules,
];
