/** How many runs are inside {@link withoutStackTraces} now, and what the process had before the first. */
let running = 0;
let saved: Pick<ErrorConstructor, "stackTraceLimit" | "prepareStackTrace"> | undefined;

/**
 * Runs `work` with errors that carry their message only, unless PLATFORM_RENDER_STACK_TRACES is
 * set. The SDK takes a stack trace for every resource and promise: for the promise it keeps the
 * trace (Error.stackTraceLimit 0 empties it), for the resource it lifts the limit and parses the
 * frames into a source position (@pulumi/pulumi resource.js, Resource.callsites), which the
 * engine shows beside a resource and a render does not record. With ts-node each frame is
 * source-mapped, so in a render those traces cost more than the resources themselves. A trace
 * without frames reads as no position, as the SDK allows ("Some callsites may not contain
 * position information"). Renders may overlap: the last one to finish restores the traces.
 */
export async function withoutStackTraces<T>(work: () => Promise<T>): Promise<T> {
    if (process.env.PLATFORM_RENDER_STACK_TRACES) {
        return work();
    }
    if (running++ === 0) {
        saved = { stackTraceLimit: Error.stackTraceLimit, prepareStackTrace: Error.prepareStackTrace };
        Error.stackTraceLimit = 0;
        // The header V8 writes above the frames: "<name>: <message>".
        Error.prepareStackTrace = (error: Error) => Error.prototype.toString.call(error);
    }
    try {
        return await work();
    } finally {
        if (--running === 0 && saved) {
            Error.stackTraceLimit = saved.stackTraceLimit;
            Error.prepareStackTrace = saved.prepareStackTrace;
            saved = undefined;
        }
    }
}
