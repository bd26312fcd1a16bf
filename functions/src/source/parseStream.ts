import { Nem12Parser, type DayRecord, type ParserOptions } from 'nem12';

/**
 * Drives a parser over a byte stream and yields, after each input chunk, the text that `render`
 * made of the days parsed so far: the shape a COPY or a file writer consumes, with backpressure
 * reaching back to the byte source. `parser` is exposed for its counters and final state.
 */
export function renderDays(
  input: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  render: (day: DayRecord) => string,
  options: ParserOptions = {},
): { parser: Nem12Parser; text: AsyncGenerator<string> } {
  let pending: string[] = [];
  const parser = new Nem12Parser({
    ...options,
    onEvent: (event) => {
      options.onEvent?.(event);
      if (event.type === 'day') {
        const text = render(event);
        if (text) pending.push(text);
      }
    },
  });
  async function* text(): AsyncGenerator<string> {
    for await (const chunk of input) {
      parser.push(chunk);
      if (pending.length > 0) {
        yield pending.join('');
        pending = [];
      }
    }
    parser.end();
    if (pending.length > 0) yield pending.join('');
  }
  return { parser, text: text() };
}
