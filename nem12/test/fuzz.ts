/**
 * The fuzz campaigns' settings, shared by every property test of the repository (the functions'
 * tests import them too). Seeded, so a failure reproduces; FUZZ_SEED and FUZZ_RUNS_SCALE (e.g. 20)
 * run other or longer campaigns.
 */
export const FUZZ = {
  seed: Number(process.env.FUZZ_SEED ?? 20261202),
  runs: (n: number) => Math.max(1, Math.round(n * Number(process.env.FUZZ_RUNS_SCALE ?? 1))),
};
