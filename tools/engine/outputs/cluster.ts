import type { OutputSynthesizer } from "./types";

/** Outputs of the cluster resources the program reads back, as the fake cloud reports them. */
export const clusterOutputs: Record<string, OutputSynthesizer> = {};
