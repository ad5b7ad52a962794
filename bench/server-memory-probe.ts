// Preloaded into both servers by `npm run bench:server` (node --expose-gc --import ...): on SIGUSR2
// it collects garbage and prints the process's memory as one JSON line on stderr, so that RSS is
// compared after a full GC rather than at whatever point each server's heap happened to be.
process.on("SIGUSR2", () => {
  (globalThis as { gc?: () => void }).gc?.();
  const { rss, heapTotal, heapUsed, external, arrayBuffers } = process.memoryUsage();
  process.stderr.write(`${JSON.stringify({ memory: { rss, heapTotal, heapUsed, external, arrayBuffers } })}\n`);
});
