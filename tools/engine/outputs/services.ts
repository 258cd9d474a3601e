import type { OutputSynthesizer } from "./types";

/** Outputs of the services resources the program reads back, as the fake cloud reports them. */
export const servicesOutputs: Record<string, OutputSynthesizer> = {};
