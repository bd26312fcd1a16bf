/** What the development scripts print: a line (or lines), prefixed `[dev]`, on stderr. */
export type Log = (line: string) => void;

export const devLog: Log = (line) => process.stderr.write(`${line.replace(/^/gm, '[dev] ')}\n`);
