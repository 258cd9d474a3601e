/** ECR lifecycle rules: untagged layers go after a week, and only the newest tagged images stay. */
export function lifecyclePolicy(keepTagged: number) {
    return {
        rules: [
            {
                rulePriority: 1,
                description: "Expire untagged images after 7 days",
                selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 7 },
                action: { type: "expire" },
            },
            {
                rulePriority: 2,
                description: `Keep the ${keepTagged} newest tagged images`,
                selection: { tagStatus: "tagged", tagPatternList: ["*"], countType: "imageCountMoreThan", countNumber: keepTagged },
                action: { type: "expire" },
            },
        ],
    };
}
