import YAML from "yaml";
import type { Profile } from "../../config";
import type { Edit, StackService } from "./plan";

/** The services and profile a stack file declares, as written (no defaults applied). */
export function readStackFile(text: string): { profile: Profile; services: StackService[] } {
    const document = YAML.parseDocument(text);
    const services = ((document.getIn(["config", "platform:services"]) as YAML.YAMLSeq | undefined)?.toJSON() ?? []) as StackService[];
    return { profile: String(document.getIn(["config", "platform:profile"])) as Profile, services };
}

/** The stack file with the edits made, its comments, order and layout kept. */
export function applyEdits(text: string, edits: readonly Edit[]): string {
    const document = YAML.parseDocument(text);
    for (const edit of edits) {
        document.setIn(["config", ...edit.path], edit.value);
    }
    return document.toString();
}
