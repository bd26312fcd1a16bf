import type { Nem12Event, ParserInfo } from 'nem12';
import { decompress, type ExpansionLimit } from './decompress';
import { inspectBytes, type Inspection } from './inspectBytes';

export { issueOf, type Inspection } from './inspectBytes';

/** Parses a whole (possibly compressed) file: validation, issues and summary, nothing stored. */
export function inspect(
  input: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: { onEvent?: (event: Nem12Event) => void; onChunk?: (info: ParserInfo) => void; limit?: ExpansionLimit } = {},
): Promise<Inspection> {
  return inspectBytes(decompress(input, { limit: options.limit }), options);
}
