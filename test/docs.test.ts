import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { generatedFiles } from "../tools/configDocs";
import { projectDir } from "./harness";

describe("documentation", () => {
    for (const { file, expected } of generatedFiles(projectDir)) {
        it(`${path.basename(file)} declares every config key the schema has (npm run docs)`, () => {
            assert.equal(fs.readFileSync(file, "utf8"), expected, `${path.basename(file)} is stale: run npm run docs`);
        });
    }

    it("opens with the command that renders offline and the one that runs the tests", () => {
        const readme = fs.readFileSync(path.join(projectDir, "README.md"), "utf8");
        const block = /^## Two commands\n[\s\S]*?```sh\n([\s\S]*?)```/m.exec(readme)?.[1].trim().split("\n") ?? [];
        assert.equal(block.length, 2, "two commands");
        assert.match(block[0], /npm run render$/);
        assert.match(block[1], /npm test$/);
    });
});
