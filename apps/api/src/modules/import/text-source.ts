// Turns the bytes of an uploaded or local file into text, a block of whole lines at a time,
// so memory stays bounded by the longest line and a decoding error can name its line.
import { detectWideEncoding, type WideEncoding } from "@ltvloop/scoring/wide-encoding";
import { isAscii, isUtf8 } from "node:buffer";
import iconv from "iconv-lite";
import { fileRejected } from "../../errors.ts";
import { importProblem, toFieldProblem } from "./problems.ts";
import type { ImportEncoding, ImportSource } from "./import.types.ts";

const LF = 0x0a;
const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;

/** Normalises the user's spelling of an encoding; undefined when unknown. */
export function parseEncoding(raw: string): ImportEncoding | undefined {
  const name = raw.trim().toLowerCase().replace(/[-_]/g, "");
  if (name === "utf8") return "utf8";
  if (name === "shiftjis" || name === "sjis" || name === "cp932" || name === "windows31j" || name === "mskanji") return "shift_jis";
  if (name === "utf16le" || name === "utf16" || name === "ucs2") return "utf16le";
  if (name === "utf16be") return "utf16be";
  return undefined;
}

/** The encodings `parseEncoding` accepts, for messages. */
export const ENCODING_NAMES = "utf8, shift_jis (aliases sjis, cp932), utf16le or utf16be";

function wideEncodingProblem(found: WideEncoding) {
  const declared = found === "UTF-16LE" ? "utf16le" : found === "UTF-16BE" ? "utf16be" : undefined;
  const fix = declared ? `Import it with encoding ${declared} (--encoding ${declared}), or save it as UTF-8 CSV.` : "UTF-32 is not read: save it as UTF-8 CSV.";
  return fileRejected(`The file is ${found} text, not UTF-8 or Shift_JIS. ${fix}`, [
    toFieldProblem(importProblem(1, undefined, "WIDE_ENCODING", { found, ...(declared ? { declare: declared } : {}) })),
  ]);
}

/** The UTF-16 byte order a byte order mark at the start names (not a UTF-32 one), or undefined. */
function utf16Bom(head: Uint8Array): "utf16le" | "utf16be" | undefined {
  const found = detectWideEncoding(head);
  if (found === "UTF-16LE" && head[0] === 0xff && head[1] === 0xfe) return "utf16le";
  if (found === "UTF-16BE" && head[0] === 0xfe && head[1] === 0xff) return "utf16be";
  return undefined;
}

type Chunks = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array>;

/**
 * Reads the first bytes of `chunks` (at least 4, or all there are) without losing them: returns
 * what they are and the chunks again from the start.
 */
async function peek(chunks: Chunks): Promise<{ head: Uint8Array | undefined; chunks: AsyncIterable<Uint8Array | string> }> {
  const iterator = Symbol.asyncIterator in chunks ? chunks[Symbol.asyncIterator]() : (chunks as Iterable<Uint8Array>)[Symbol.iterator]();
  const taken: (Uint8Array | string)[] = [];
  let bytes = 0;
  let done = false;
  while (bytes < 4) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    taken.push(next.value);
    if (typeof next.value === "string") break;
    bytes += next.value.byteLength;
  }
  const head = taken.length > 0 && taken.every((c) => typeof c !== "string") ? Buffer.concat(taken as Uint8Array[]) : undefined;
  async function* again(): AsyncGenerator<Uint8Array | string> {
    yield* taken;
    if (done) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  return { head, chunks: again() };
}

/** Decodes a declared UTF-16 byte stream (a streaming decoder keeps characters split across chunks). */
async function* decodeUtf16(
  chunks: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array>,
  encoding: "utf16le" | "utf16be",
  onBytes?: (bytesRead: number) => void,
): AsyncGenerator<string> {
  // ignoreBOM false: the decoder drops a leading BOM of its own byte order.
  const decoder = new TextDecoder(encoding === "utf16le" ? "utf-16le" : "utf-16be", { fatal: true });
  const name = encoding === "utf16le" ? "UTF-16LE" : "UTF-16BE";
  // An unpaired surrogate, or (at the end) an odd number of bytes: the file is not this encoding.
  const decode = (chunk?: Uint8Array): string => {
    try {
      return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
    } catch {
      throw fileRejected(`The file is not valid ${name} (an unpaired surrogate, or it ends inside a character). Check the file's encoding.`, [
        toFieldProblem(importProblem(1, undefined, "BAD_SURROGATE", { encoding: name })),
      ]);
    }
  };
  let bytesRead = 0;
  let isFirst = true;
  for await (const chunk of chunks) {
    if (typeof chunk === "string") throw new Error("a UTF-16 source must be bytes, not text");
    if (isFirst) {
      isFirst = false;
      const found = detectWideEncoding(chunk);
      if (found !== undefined && found !== name) throw wideEncodingProblem(found);
    }
    bytesRead += chunk.byteLength;
    const text = decode(chunk);
    onBytes?.(bytesRead);
    if (text) yield text;
  }
  const rest = decode();
  if (rest) yield rest;
}

function countLines(bytes: Uint8Array, end = bytes.length): number {
  let lines = 0;
  for (let i = bytes.indexOf(LF); i !== -1 && i < end; i = bytes.indexOf(LF, i + 1)) lines++;
  return lines;
}

function encodingProblem(encoding: ImportEncoding, line: number) {
  const message =
    encoding === "utf8"
      ? `The file is not valid UTF-8 (first bad byte on line ${line}). If it was saved as Shift_JIS (for example by Excel on Japanese Windows), import it with encoding shift_jis (--encoding shift_jis); otherwise save it as UTF-8.`
      : `The file is not valid Shift_JIS (first bad byte on line ${line}). Check the file's encoding; if it is UTF-8, import it with encoding utf8.`;
  return fileRejected(message, [toFieldProblem(importProblem(line, undefined, "BAD_ENCODING", { encoding }))]);
}

function firstNonAscii(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) if ((bytes[i] ?? 0) >= 0x80) return i;
  return bytes.length;
}

function utf8DeclaredShiftJis(line: number) {
  return fileRejected(
    `The file is UTF-8 text, not Shift_JIS (line ${line} has the first non-ASCII characters, and read as Shift_JIS they would be other characters). Import it with encoding utf8 (--encoding utf8).`,
    [toFieldProblem(importProblem(line, undefined, "BAD_ENCODING", { encoding: "shift_jis", found: "UTF-8" }))],
  );
}

function decoderFor(encoding: "utf8" | "shift_jis"): (bytes: Uint8Array) => string | undefined {
  if (encoding === "utf8") {
    // ignoreBOM: the BOM is removed once, at the start of the file, not at every block.
    const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
    return (bytes) => {
      // Most exports are plain ASCII: checked natively, it reads as Latin-1 byte for byte, about
      // ten times faster than the UTF-8 decoder.
      if (isAscii(bytes)) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
      try {
        return decoder.decode(bytes);
      } catch {
        return undefined;
      }
    };
  }
  // Japanese Excel's "Shift_JIS" is Microsoft's CP932 (NEC/IBM extensions such as ①, ㈱).
  return (bytes) => {
    const text = iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), "cp932");
    return text.includes("\uFFFD") ? undefined : text;
  };
}

/** Finds the first line of `block` (whole lines) that fails to decode. */
function firstBadLine(block: Uint8Array, decode: (bytes: Uint8Array) => string | undefined): number {
  let start = 0;
  let line = 0;
  while (start < block.length) {
    let end = block.indexOf(LF, start);
    end = end === -1 ? block.length : end + 1;
    if (decode(block.subarray(start, end)) === undefined) return line;
    line++;
    start = end;
  }
  return line;
}

/**
 * Yields the source as text in blocks of whole lines. Cuts at LF bytes, which are never part
 * of a multi-byte character in UTF-8 or Shift_JIS, so every block decodes on its own.
 *
 * A file that starts with a UTF-16 byte order mark is read as UTF-16 of that byte order whatever
 * encoding was chosen (UTF-16 of the other order too): the mark cannot begin UTF-8 or Shift_JIS
 * text, and it is what Excel writes for "Unicode Text" (tab-separated UTF-16LE). `onEncoding`
 * learns the encoding read.
 */
export async function* decodeSource(
  source: ImportSource,
  declared: ImportEncoding,
  onBytes?: (bytesRead: number) => void,
  onEncoding?: (encoding: ImportEncoding) => void,
): AsyncGenerator<string> {
  let encoding = declared;
  if (typeof source === "string") {
    onEncoding?.(encoding);
    yield source.startsWith("\uFEFF") ? source.slice(1) : source;
    return;
  }
  let chunks: Chunks = source instanceof Uint8Array ? [source] : source;
  // The mark decides even when UTF-16 of the other byte order was declared.
  const peeked = await peek(chunks);
  chunks = peeked.chunks;
  const bom = peeked.head && utf16Bom(peeked.head);
  if (bom) encoding = bom;
  onEncoding?.(encoding);
  if (encoding === "utf16le" || encoding === "utf16be") {
    yield* decodeUtf16(chunks, encoding, onBytes);
    return;
  }
  const decode = decoderFor(encoding);
  let carry: Uint8Array = new Uint8Array(0);
  // The unfinished last line of a chunk joined to the next chunk, in one buffer reused for every
  // chunk (a fresh megabyte per chunk costs page faults and garbage collection).
  let joined = new Uint8Array(0);
  const joinCarry = (head: Uint8Array, tail: Uint8Array): Uint8Array => {
    const length = head.length + tail.length;
    if (joined.length < length) joined = new Uint8Array(Math.max(length, joined.length * 2));
    joined.set(head, 0);
    joined.set(tail, head.length);
    return joined.subarray(0, length);
  };
  let linesBefore = 0;
  let bytesRead = 0;
  let isFirst = true;

  const emit = (block: Uint8Array): string => {
    // Japanese text in Shift_JIS is never valid UTF-8 with a 3-byte character (its lead bytes
    // 0x81–0x9F are UTF-8 continuation bytes; half-width kana pairs such as ﾃｽ can only form
    // 2-byte ones), but UTF-8 Japanese often decodes as Shift_JIS without an error, into other
    // characters (東京都 → 譚ｱ莠ｬ驛ｽ) that would be stored as they are.
    if (encoding === "shift_jis" && !isAscii(block) && block.some((b) => b >= 0xe0) && isUtf8(block)) throw utf8DeclaredShiftJis(linesBefore + countLines(block, firstNonAscii(block)) + 1);
    const text = decode(block);
    if (text === undefined) throw encodingProblem(encoding, linesBefore + firstBadLine(block, decode) + 1);
    linesBefore += countLines(block);
    return text;
  };

  for await (const chunk of chunks) {
    // Text chunks (a stream opened with an encoding) are already decoded.
    if (typeof chunk === "string") {
      const text = isFirst && chunk.startsWith("\uFEFF") ? chunk.slice(1) : chunk;
      isFirst = false;
      bytesRead += Buffer.byteLength(chunk);
      onBytes?.(bytesRead);
      if (text) yield text;
      continue;
    }
    bytesRead += chunk.byteLength;
    let bytes: Uint8Array = carry.length === 0 ? chunk : joinCarry(carry, chunk);
    if (isFirst && (bytes.length >= 3 || bytes.includes(LF))) {
      isFirst = false;
      const wide = detectWideEncoding(bytes);
      if (wide !== undefined) throw wideEncodingProblem(wide);
      if (encoding === "utf8" && bytes[0] === UTF8_BOM[0] && bytes[1] === UTF8_BOM[1] && bytes[2] === UTF8_BOM[2]) {
        bytes = bytes.subarray(3);
      }
    }
    const lastLf = bytes.lastIndexOf(LF);
    if (lastLf === -1) {
      // A copy: `bytes` may be the reused join buffer or the caller's chunk.
      carry = bytes.slice();
    } else {
      carry = bytes.slice(lastLf + 1);
      const text = emit(bytes.subarray(0, lastLf + 1));
      onBytes?.(bytesRead);
      yield text;
    }
  }
  if (carry.length > 0) {
    // A file of fewer than 3 bytes without a line end: a UTF-16 byte order mark alone is an
    // empty UTF-16 file (an empty sheet saved by Excel), not bad UTF-8.
    const wide = isFirst ? detectWideEncoding(carry) : undefined;
    if (wide !== undefined) throw wideEncodingProblem(wide);
    if (isFirst && encoding === "utf8" && carry[0] === UTF8_BOM[0] && carry[1] === UTF8_BOM[1] && carry[2] === UTF8_BOM[2]) {
      carry = carry.subarray(3);
    }
    const text = emit(carry);
    onBytes?.(bytesRead);
    yield text;
  }
}

