import * as path from "path";
import { policyPackConfig, rules } from "../policy/rules";
import { listStacks } from "./engine/stackFiles";
import { stackProfile } from "./policyCheck";

/** Where CI finds a stack's policy config: `pulumi preview --policy-pack-config policy/config.<stack>.json`. */
export function policyConfigPath(projectDir: string, stack: string): string {
    return path.join(projectDir, "policy", `config.${stack}.json`);
}

/** Each stack's policy config as `npm run docs` writes it: enforcement per rule from the stack's profile. */
export function policyConfigFiles(projectDir: string): { file: string; expected: string }[] {
    return listStacks(projectDir).map((stack) => ({
        file: policyConfigPath(projectDir, stack),
        expected: `${JSON.stringify(policyPackConfig(stackProfile(projectDir, stack), rules), null, 2)}\n`,
    }));
}
