/** What a resource of one type reports after creation, beyond its inputs. */
export type OutputSynthesizer = (name: string, inputs: Record<string, any>, region: string) => Record<string, unknown>;
