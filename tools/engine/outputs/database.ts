import type { OutputSynthesizer } from "./types";

/** Outputs of the database resources the program reads back, as the fake cloud reports them. */
export const databaseOutputs: Record<string, OutputSynthesizer> = {};
