import type { OutputSynthesizer } from "./types";

/** Outputs of the images resources the program reads back, as the fake cloud reports them. */
export const imagesOutputs: Record<string, OutputSynthesizer> = {};
