import { createAwsProvider } from "./components/awsProvider";
import { loadConfig } from "./config";

// Reads the stack's configuration once, builds the components in order and exports what
// operators and CI need. A bad config stops here, before any resource is registered.
export = async () => {
    const config = loadConfig();
    const aws = createAwsProvider(config);
    void aws;

    return {
        profile: config.profile,
        region: config.region,
    };
};
