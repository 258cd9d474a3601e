import { z } from "zod";

// Kubernetes resource quantities (`250m`, `1.5`, `512Mi`, `1G`), as the API server parses them.
const pattern = /^(\d+(?:\.\d+)?)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;
const scale: Record<string, number> = {
    "": 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
    Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** The value of a quantity in base units (cores, bytes), or undefined when Kubernetes would reject it. */
export function quantityValue(text: string): number | undefined {
    const match = pattern.exec(text);
    return match ? Number(match[1]) * scale[match[2] ?? ""] : undefined;
}

/** A Kubernetes resource quantity. */
export const quantity = z.string().refine((text) => quantityValue(text) !== undefined, {
    error: "is not a Kubernetes quantity (e.g. 250m, 1, 512Mi, 2Gi)",
});

/** A quantity of bytes: `m` (thousandths) is valid Kubernetes but never meant for memory. */
export const memoryQuantity = quantity.refine((text) => !text.endsWith("m"), {
    error: "is in thousandths of a byte (m); use Mi or Gi, e.g. 256Mi",
});
