import { createReadStream } from 'node:fs';
import { Nem12Parser } from 'nem12';

/**
 * One parse measurement, in its own process when peak memory matters: `floor` reads the file and
 * splits lines and fields (no validation, nothing emitted); `parse` runs the NEM12 parser.
 */
export async function floorPass(path: string): Promise<number> {
  let fields = 0;
  let carry = '';
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const lines = (carry + (chunk as Buffer).toString('latin1')).split('\n');
    carry = lines.pop() ?? '';
    for (const line of lines) fields += line.split(',').length;
  }
  return fields + (carry ? carry.split(',').length : 0);
}

export async function parsePass(path: string): Promise<number> {
  const parser = new Nem12Parser();
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) parser.push(chunk as Buffer);
  parser.end();
  if (parser.info.errors > 0) throw new Error(`benchmark file has ${parser.info.errors} errors`);
  return parser.info.readings;
}

if (require.main === module) {
  const [mode, path] = process.argv.slice(2);
  const run = mode === 'floor' ? floorPass : parsePass;
  const started = performance.now();
  run(path).then((count) => {
    process.stdout.write(
      JSON.stringify({ mode, count, ms: performance.now() - started, maxRssMB: process.resourceUsage().maxRSS / 1024 }),
    );
  });
}
