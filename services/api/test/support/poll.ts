/**
 * Retries `check` until it returns a value (not undefined) or `timeoutMs` passes, pausing
 * `intervalMs` between attempts. A bounded poll on a condition, never a fixed sleep.
 */
export async function eventually<T>(
    what: string,
    check: () => Promise<T | undefined> | T | undefined,
    { timeoutMs = 15_000, intervalMs = 50 } = {},
): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    for (;;) {
        try {
            const value = await check();
            if (value !== undefined) {
                return value;
            }
        } catch (error) {
            last = error;
        }
        if (Date.now() > deadline) {
            const reason = last instanceof Error ? ` (last error: ${last.message})` : "";
            throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${reason}`);
        }
        await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
}
