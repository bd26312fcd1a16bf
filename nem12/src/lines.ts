/**
 * Layer 1 of the parser: bytes to physical lines. Chunks may split anywhere (inside a CRLF, a
 * multi-byte character or a number); memory stays bounded by the longest line.
 */

/** One physical line, without its line break. */
export interface PhysicalLine {
  text: string;
  /** 1-based line number in the whole file. */
  line: number;
  /** Byte offset of the line's first byte in the whole file. */
  offset: number;
  /** Longer than the limit: `text` is empty, the content was not kept. */
  tooLong: boolean;
  /** Bytes that are not UTF-8 were decoded as U+FFFD. */
  invalidUtf8: boolean;
}

export interface LineSplitterOptions {
  maxLineBytes: number;
  /** Line number and byte offset of the first byte pushed (a fragment of a file starts later). */
  firstLine: number;
  firstOffset: number;
}

const LF = 10;
const CR = 13;
const BOM = '\uFEFF';

export class LineSplitter {
  /** Lines emitted so far (the last line number). */
  lines: number;

  // fatal: invalid UTF-8 is detected, not silently replaced. ignoreBOM: a BOM is a character, kept
  // wherever it is, except at the very start of the file (removed explicitly, below).
  private readonly strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  private readonly lenient = new TextDecoder('utf-8', { ignoreBOM: true });
  private position: number;
  private carry: Uint8Array | null = null;
  private carryLength = 0;
  private carryOffset = 0;
  private carryOverflow = false;

  constructor(
    private readonly onLine: (line: PhysicalLine) => void,
    private readonly options: LineSplitterOptions,
  ) {
    this.position = options.firstOffset;
    this.lines = options.firstLine - 1;
  }

  push(chunk: Uint8Array): void {
    const base = this.position; // absolute offset of chunk[0]
    this.position += chunk.length;
    let start = 0;
    if (this.carry !== null) {
      const newline = chunk.indexOf(LF);
      this.appendCarry(newline < 0 ? chunk : chunk.subarray(0, newline));
      if (newline < 0) return;
      this.takeCarry();
      start = newline + 1;
    }
    const last = chunk.lastIndexOf(LF);
    if (last >= start) {
      this.takeLines(chunk, start, last, base);
      start = last + 1;
    }
    if (start < chunk.length) {
      this.carryOffset = base + start;
      this.appendCarry(chunk.subarray(start));
    }
  }

  /** The last line, when the file does not end with a line break. */
  end(): void {
    if (this.carry !== null) this.takeCarry();
  }

  /** Keeps the start of a line that continues in the next chunk. */
  private appendCarry(bytes: Uint8Array): void {
    if (this.carry === null) {
      this.carry = new Uint8Array(Math.max(256, bytes.length * 2));
      this.carryLength = 0;
      this.carryOverflow = false;
    }
    if (this.carryOverflow || this.carryLength + bytes.length > this.options.maxLineBytes) {
      this.carryOverflow = true; // the content is dropped; the line is reported as too long when it ends
      return;
    }
    if (this.carryLength + bytes.length > this.carry.length) {
      const grown = new Uint8Array(Math.max(this.carry.length * 2, this.carryLength + bytes.length));
      grown.set(this.carry.subarray(0, this.carryLength));
      this.carry = grown;
    }
    this.carry.set(bytes, this.carryLength);
    this.carryLength += bytes.length;
  }

  private takeCarry(): void {
    const bytes = this.carry!.subarray(0, this.carryLength);
    this.carry = null;
    if (this.carryOverflow) this.emit('', this.carryOffset, true, false);
    else this.takeLine(bytes, this.carryOffset);
  }

  /** Complete lines `chunk[start..end)` (`end` is the last LF), decoded in one go when they are plain ASCII. */
  private takeLines(chunk: Uint8Array, start: number, end: number, base: number): void {
    let text: string | null = null;
    try {
      text = this.strict.decode(chunk.subarray(start, end));
    } catch {
      // Not UTF-8 somewhere: decode line by line, so only the lines at fault are flagged.
    }
    if (text !== null && text.length === end - start) {
      // One character per byte: string positions are byte offsets.
      let from = 0;
      let newline: number;
      while ((newline = text.indexOf('\n', from)) >= 0) {
        this.takeText(text, from, newline, base + start + from);
        from = newline + 1;
      }
      this.takeText(text, from, text.length, base + start + from);
      return;
    }
    for (let at = start; at <= end; ) {
      const newline = chunk.indexOf(LF, at);
      this.takeLine(chunk.subarray(at, newline), base + at);
      at = newline + 1;
    }
  }

  private takeText(text: string, from: number, to: number, offset: number): void {
    if (to - from > this.options.maxLineBytes) return this.emit('', offset, true, false);
    // CRLF: the CR belongs to the line break. Any other CR stays in the line (and is reported there).
    if (to > from && text.charCodeAt(to - 1) === CR) to--;
    this.emit(text.slice(from, to), offset, false, false);
  }

  private takeLine(bytes: Uint8Array, offset: number): void {
    if (bytes.length > this.options.maxLineBytes) return this.emit('', offset, true, false);
    const length = bytes.length > 0 && bytes[bytes.length - 1] === CR ? bytes.length - 1 : bytes.length;
    const content = bytes.subarray(0, length);
    try {
      this.emit(this.strict.decode(content), offset, false, false);
    } catch {
      this.emit(this.lenient.decode(content), offset, false, true);
    }
  }

  private emit(text: string, offset: number, tooLong: boolean, invalidUtf8: boolean): void {
    // A byte-order mark is the encoding's signature only at the very start of the file.
    if (offset === 0 && text.startsWith(BOM)) text = text.slice(1);
    this.onLine({ text, line: ++this.lines, offset, tooLong, invalidUtf8 });
  }
}
