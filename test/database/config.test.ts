import { strict as assert } from "assert";
import { configProblems } from "../harness";

describe("database configuration", () => {
    it("rejects an unknown engine version", async () => {
        assert.deepEqual(await configProblems("dev", { "platform:database.engineVersion": "12" }), [
            'database.engineVersion: "12" is not one of "14", "15", "16", "17"',
        ]);
    });

    it("rejects storage below the minimum or above the maximum", async () => {
        assert.deepEqual(await configProblems("dev", { "platform:database.allocatedStorageGiB": 10 }), ["database.allocatedStorageGiB: 10 is below the minimum 20"]);
        assert.deepEqual(await configProblems("dev", { "platform:database.allocatedStorageGiB": 70000 }), [
            "database.allocatedStorageGiB: 70000 is above the maximum 65536",
        ]);
    });

    it("rejects an autoscaling ceiling below the allocated storage", async () => {
        assert.deepEqual(await configProblems("production", { "platform:database.maxAllocatedStorageGiB": 50 }), [
            "database.maxAllocatedStorageGiB: 50 is less than 10% above allocatedStorageGiB 100, which RDS refuses; use at least 110, or 0 to turn autoscaling off",
        ]);
    });

    it("rejects a backup retention outside 0 to 35 days", async () => {
        assert.deepEqual(await configProblems("production", { "platform:database.backupRetentionDays": 40 }), [
            "database.backupRetentionDays: 40 is above the maximum 35",
        ]);
    });

    it("refuses postgres as the master user name", async () => {
        assert.deepEqual(await configProblems("dev", { "platform:database.username": "postgres" }), [
            'database.username: "postgres" is reserved or the first name attackers try; choose another',
        ]);
    });
});
