/** The CPU architectures EKS node groups run, named as image platforms name them. */
export type Architecture = "amd64" | "arm64";

/**
 * The architecture of an EC2 instance type: AWS Graviton families carry a `g` right after the
 * generation digit (t4g, m7g, c7gn, r8gd, im4gn, g5g) and `a1` is the first Graviton; every other
 * family EKS runs is x86-64. EKS refuses a node group whose instance types and AMI differ in
 * architecture, and infers the AMI from the instance types when none is given.
 */
export function instanceArchitecture(instanceType: string): Architecture {
    const family = instanceType.split(".")[0];
    return family === "a1" || /^[a-z]+\d+g/.test(family) ? "arm64" : "amd64";
}

/** The architecture of an image platform such as `linux/arm64`. */
export function platformArchitecture(platform: string): Architecture {
    return platform.endsWith("arm64") ? "arm64" : "amd64";
}
