/** Polls until `check` holds, for effects that land asynchronously (file writes, reloads). */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
  what = 'condition',
): Promise<void> {
  const holds = () =>
    Promise.resolve()
      .then(check)
      .catch(() => false);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await holds()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  // A busy machine may oversleep the deadline (or a slow check eat it): one last look.
  if (await holds()) return;
  throw new Error(`${what} not met within ${timeoutMs} ms`);
}
