import { z } from "zod";

// Value rules shared by several sections. Each message follows the key and the value in an
// error line: `network.cidr: "10.0.0.0/33" is not an IPv4 CIDR`.

/** An IPv4 CIDR block such as `10.0.0.0/16`. */
export const ipv4Cidr = z.cidrv4({ error: "is not an IPv4 CIDR" });

/** A Kubernetes object name / DNS label: lowercase letters, digits and `-`, at most 63 characters. */
export const dnsLabel = z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, { error: "is not a DNS label (lowercase letters, digits and '-', at most 63)" });

/** The ARN of an IAM role. */
export const iamRoleArn = z
    .string()
    .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, { error: "is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)" });

/** The ARN of an ACM certificate. */
export const acmCertificateArn = z
    .string()
    .regex(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/, {
        error: "is not an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)",
    });

const digest = /@sha256:[0-9a-f]{64}$/;
const tag = /:([\w][\w.-]{0,127})$/;

/** Why an image reference is not pinned, or undefined when it is. */
export function unpinnedImageProblem(reference: string): string | undefined {
    if (digest.test(reference)) {
        return undefined;
    }
    const name = reference.slice(reference.lastIndexOf("/") + 1);
    const version = tag.exec(name)?.[1];
    if (version === undefined) {
        return "has no tag or digest; pin it (name:1.2.3 or name@sha256:...)";
    }
    return version === "latest" ? "uses the moving tag latest; pin a version or a digest" : undefined;
}

/** A prebuilt container image, pinned by tag or digest; never `latest`, never untagged. */
export const pinnedImage = z
    .string()
    .regex(/^[a-z0-9][\w.\-/:@]*$/, { error: "is not a container image reference" })
    .superRefine((reference, ctx) => {
        const problem = unpinnedImageProblem(reference);
        if (problem) {
            ctx.addIssue({ code: "custom", message: problem, input: reference });
        }
    });

/**
 * Refuses an entry given twice: AWS and Kubernetes refuse duplicates in most lists, and where one
 * resource is made per entry the second would take the first one's name. `keyOf` says what makes
 * two entries the same (the whole entry by default).
 */
export function noDuplicates<T>(keyOf: (item: T) => unknown = (item) => item, what = "entry") {
    return (items: readonly T[], ctx: z.RefinementCtx): void => {
        const seen = new Map<string, number>();
        items.forEach((item, i) => {
            const key = JSON.stringify(keyOf(item));
            const first = seen.get(key);
            if (first === undefined) {
                seen.set(key, i);
            } else {
                ctx.addIssue({ code: "custom", path: [i], input: item, message: `is the same ${what} as [${first}]; list each once` });
            }
        });
    };
}

/** A count or a percentage as Kubernetes writes an IntOrString (`[0-9]+%`, apimachinery IsValidPercent). */
export const countOrPercent = z.union([z.int().min(0), z.string().regex(/^\d{1,3}%$/, { error: "is not a count or a percentage" })]);

/**
 * The number a count or percentage stands for before scaling, as kubernetes/kubernetes
 * pkg/apis/apps/validation/validation.go (getIntOrPercentValue) reads it; `percent` tells which.
 */
export function countOrPercentValue(value: number | string): { value: number; percent: boolean } {
    return typeof value === "number" ? { value, percent: false } : { value: Number.parseInt(value, 10), percent: true };
}
