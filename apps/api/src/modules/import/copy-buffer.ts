// COPY text written straight into bytes: the rows of a block of the file go into one buffer of
// about a megabyte, handed to the database whole. No string per row, no string per block (the
// concatenated block text was most of the import's garbage-collection time).

/** Bytes per chunk handed to the COPY (a fresh buffer each: the driver may still hold the last). */
export const COPY_CHUNK_BYTES = 1 << 20;

/** Room enough for one plain line of PLAIN_LINE_MAX_CHARS characters, UTF-8 encoded, with every default added. */
const LINE_ROOM = 1024;

const utf8 = new TextEncoder();

export class CopyBuffer {
  bytes: Uint8Array = new Uint8Array(COPY_CHUNK_BYTES + LINE_ROOM);
  pos = 0;
  private readonly finished: Uint8Array[] = [];

  /** Makes room for a row of at most `bytes` bytes (LINE_ROOM for a plain line). */
  room(bytes = LINE_ROOM): void {
    if (this.pos + bytes > this.bytes.length) this.finish(bytes);
  }

  private finish(bytes = 0): void {
    if (this.pos > 0) this.finished.push(this.bytes.subarray(0, this.pos));
    this.bytes = new Uint8Array(Math.max(COPY_CHUNK_BYTES, bytes) + LINE_ROOM);
    this.pos = 0;
  }

  /** Chunks ready for the COPY: the full ones, or with `all` everything written so far. */
  drain(all = false): Uint8Array[] {
    if (all ? this.pos > 0 : this.pos >= COPY_CHUNK_BYTES) this.finish();
    return this.finished.splice(0);
  }

  /** Appends a row already encoded as COPY text (the record path). */
  text(line: string): void {
    this.room(line.length * 3);
    this.pos += utf8.encodeInto(line, this.bytes.subarray(this.pos)).written;
  }

  /** Appends a non-negative integer in decimal. */
  int(value: number): void {
    const { bytes } = this;
    const start = this.pos;
    let end = start + 1;
    for (let v = value; v >= 10; v = Math.floor(v / 10)) end++;
    this.pos = end;
    for (let v = value, at = end; at > start; v = Math.floor(v / 10)) bytes[--at] = 0x30 + (v % 10);
  }

  byte(value: number): void {
    this.bytes[this.pos++] = value;
  }

  /** Appends an ASCII string (constants: defaults, "\\N"). */
  ascii(value: string): void {
    const { bytes } = this;
    for (let i = 0; i < value.length; i++) bytes[this.pos++] = value.charCodeAt(i);
  }

  /**
   * Appends text[from, to) as COPY text when it needs no escaping: false (and nothing kept
   * reliable; the caller rolls `pos` back) at a control character, DEL or a backslash. Other
   * characters are UTF-8 encoded; a lone surrogate also returns false.
   */
  plain(text: string, from: number, to: number): boolean {
    const { bytes } = this;
    let p = this.pos;
    for (let i = from; i < to; i++) {
      const c = text.charCodeAt(i);
      if (c < 0x80) {
        if (c < 0x20 || c === 0x7f || c === 0x5c) return false;
        bytes[p++] = c;
      } else if (c < 0x800) {
        bytes[p++] = 0xc0 | (c >> 6);
        bytes[p++] = 0x80 | (c & 0x3f);
      } else if (c >= 0xd800 && c <= 0xdfff) {
        const d = i + 1 < to ? text.charCodeAt(i + 1) : 0;
        if (c >= 0xdc00 || d < 0xdc00 || d > 0xdfff) return false;
        const point = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
        bytes[p++] = 0xf0 | (point >> 18);
        bytes[p++] = 0x80 | ((point >> 12) & 0x3f);
        bytes[p++] = 0x80 | ((point >> 6) & 0x3f);
        bytes[p++] = 0x80 | (point & 0x3f);
      } else {
        bytes[p++] = 0xe0 | (c >> 12);
        bytes[p++] = 0x80 | ((c >> 6) & 0x3f);
        bytes[p++] = 0x80 | (c & 0x3f);
      }
    }
    this.pos = p;
    return true;
  }
}
