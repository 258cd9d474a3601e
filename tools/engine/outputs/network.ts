import type { OutputSynthesizer } from "./types";

/** Outputs of the network resources the program reads back, as the fake cloud reports them. */
export const networkOutputs: Record<string, OutputSynthesizer> = {};
