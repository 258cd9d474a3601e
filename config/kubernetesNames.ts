// What the Kubernetes API server accepts as names, label values and annotation keys, as
// kubernetes/apimachinery v0.35 (the Kubernetes 1.35 line EKS runs) checks them:
// pkg/util/validation/validation.go (IsDNS1123Label, IsDNS1123Subdomain, IsDNS1035Label),
// pkg/api/validate/content/kube.go (IsLabelKey, which IsQualifiedName is; IsLabelValue) and
// pkg/api/validation/objectmeta.go (ValidateAnnotations: keys lowercased then IsQualifiedName;
// keys and values together at most 256 KiB). Each check returns why a value is refused, or nothing.

const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const dns1035Label = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const qualifiedNamePart = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** The most bytes a Kubernetes object's annotations may hold, keys and values together. */
export const annotationsSizeLimit = 256 * 1024;

const tooLong = (value: string, max: number) => (value.length > max ? [`is ${value.length} characters, more than ${max}`] : []);

/** RFC 1123 label (a Namespace's name): lowercase letters, digits and '-', alphanumeric at both ends, at most 63. */
export function dns1123LabelProblems(value: string): string[] {
    return [...tooLong(value, 63), ...(dns1123Label.test(value) ? [] : ["is not lowercase letters, digits and '-' starting and ending with a letter or digit"])];
}

/** RFC 1123 subdomain (most object names: Deployment, ConfigMap, Secret, Ingress...): labels joined by '.', at most 253. */
export function dns1123SubdomainProblems(value: string): string[] {
    return [...tooLong(value, 253), ...(dns1123Subdomain.test(value) ? [] : ["is not lowercase letters, digits, '-' and '.' starting and ending with a letter or digit"])];
}

/** RFC 1035 label (a Service's name): as an RFC 1123 label, but starting with a letter. */
export function dns1035LabelProblems(value: string): string[] {
    return [...tooLong(value, 63), ...(dns1035Label.test(value) ? [] : ["is not lowercase letters, digits and '-' starting with a letter and ending with a letter or digit"])];
}

/** A qualified name (label and annotation keys): an optional DNS subdomain prefix and '/', then a name of at most 63. */
export function qualifiedNameProblems(value: string): string[] {
    const parts = value.split("/");
    if (parts.length > 2) {
        return ["has more than one '/'"];
    }
    const [prefix, name] = parts.length === 2 ? parts : [undefined, parts[0]];
    const problems = prefix === undefined ? [] : prefix === "" ? ["has an empty prefix"] : dns1123SubdomainProblems(prefix).map((p) => `prefix ${prefix} ${p}`);
    if (name.length > 63) {
        problems.push(`has a name part of ${name.length} characters (${name}), more than 63`);
    }
    if (!qualifiedNamePart.test(name)) {
        problems.push(`has a name part (${name}) that is not letters, digits, '-', '_' and '.' starting and ending with a letter or digit`);
    }
    return problems;
}

/** A label value: empty, or a qualified name's name part (at most 63). */
export function labelValueProblems(value: string): string[] {
    return value === "" ? [] : [...tooLong(value, 63), ...(qualifiedNamePart.test(value) ? [] : ["is not letters, digits, '-', '_' and '.' starting and ending with a letter or digit"])];
}

/** An object's annotations: each key a qualified name (case does not matter), all together within 256 KiB. */
export function annotationsProblems(annotations: Readonly<Record<string, string>>): string[] {
    const keys = Object.entries(annotations).flatMap(([key]) => qualifiedNameProblems(key.toLowerCase()).map((p) => `annotation key ${key} ${p}`));
    const size = Object.entries(annotations).reduce((sum, [key, value]) => sum + Buffer.byteLength(key) + Buffer.byteLength(value), 0);
    return [...keys, ...(size > annotationsSizeLimit ? [`annotations hold ${size} bytes, more than ${annotationsSizeLimit}`] : [])];
}
