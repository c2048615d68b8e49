// Polls a URL on 127.0.0.1 until it answers with the wanted status, for processes starting up.

export async function waitForStatus(url: string, status: number, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let last = "no answer";
  while (performance.now() < deadline) {
    try {
      const answer = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await answer.arrayBuffer();
      if (answer.status === status) return;
      last = `status ${answer.status}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${url} did not answer ${status} within ${timeoutMs} ms (last: ${last})`);
}
