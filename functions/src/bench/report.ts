/** What every bench section prints and measures with. */
export const log = (line: string) => process.stdout.write(`${line}\n`);
export const round = (n: number, digits = 0) => Math.round(n * 10 ** digits) / 10 ** digits;
export const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
export const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;

export async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

/** p50, p95 and max of running `run` on each item, one at a time. */
export async function latencies(items: string[], run: (item: string) => Promise<unknown>) {
  const times: number[] = [];
  for (const item of items) {
    const started = performance.now();
    await run(item);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => Math.round(times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)] * 10) / 10;
  return { requests: times.length, p50: at(0.5), p95: at(0.95), max: at(1) };
}

/** A small deterministic generator: the same requests every run. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}
