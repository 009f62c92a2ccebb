// The character encoding of a file the user uploads, chosen with EncodingSelect.vue on every page
// that takes one. The imports page sends the choice with the file's bytes and the API decodes
// (apps/api/src/modules/import/text-source.ts); the campaign page's delivery upload, which sends
// text through GraphQL, decodes in the browser with decodeFileText by the same rules:
// - UTF-8, with or without a byte order mark;
// - Shift_JIS as Excel on Japanese Windows saves it (Microsoft's CP932, which the browser's
//   "shift_jis" decoder is, NEC and IBM extensions such as ① and ㈱ included);
// - UTF-16LE or UTF-16BE without a byte order mark, when chosen;
// - a file that starts with a UTF-16 byte order mark (Excel's "Unicode Text") is read as UTF-16
//   in the mark's byte order whatever is chosen, as the API does; both recognise UTF-16 and
//   UTF-32 with one function (@ltvloop/scoring/wide-encoding).
// Bytes that are not valid in the encoding read give a problem coded as the API's
// (BAD_ENCODING, WIDE_ENCODING, BAD_SURROGATE with a line), worded by problem-text.ts from
// import-problems: which encoding to choose instead. Nothing is decoded with replacement
// characters, so garbled text never reaches the server.
import { detectWideEncoding, type WideEncoding } from "@ltvloop/scoring/wide-encoding";

export type EncodingChoice = "utf8" | "shift_jis" | "utf16le" | "utf16be";

/** The choices in the order the control lists them, with the catalogue key of each one's name. */
export const ENCODING_CHOICES: readonly { value: EncodingChoice; key: string }[] = [
  { value: "utf8", key: "fileEncoding.utf8" },
  { value: "shift_jis", key: "fileEncoding.shiftJis" },
  { value: "utf16le", key: "fileEncoding.utf16le" },
  { value: "utf16be", key: "fileEncoding.utf16be" },
];

/** Why a file cannot be read: an import problem code with its parameters and line (1 = the first line). */
export interface EncodingProblem {
  line: number;
  code: "BAD_ENCODING" | "WIDE_ENCODING" | "BAD_SURROGATE";
  params: Record<string, string>;
}

export type DecodedFile =
  /** `encoding` is what was read: the choice, or UTF-16 when the file's byte order mark said so. */
  | { ok: true; text: string; encoding: EncodingChoice }
  | { ok: false; problem: EncodingProblem };

const LF = 0x0a;

const wideProblem = (found: WideEncoding): DecodedFile => {
  const declare = found === "UTF-16LE" ? "utf16le" : found === "UTF-16BE" ? "utf16be" : undefined;
  return { ok: false, problem: { line: 1, code: "WIDE_ENCODING", params: { found, ...(declare ? { declare } : {}) } } };
};

/** Decodes all of `bytes`, or undefined when they are not valid in `label` (a WHATWG encoding name). */
function strictly(label: string, bytes: Uint8Array, ignoreBOM = false): string | undefined {
  try {
    return new TextDecoder(label, { fatal: true, ignoreBOM }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** The number (1-based) of the first line of `bytes`, cut at LF bytes, that does not decode. */
function firstBadLine(bytes: Uint8Array, label: string): number {
  let line = 1;
  for (let start = 0; start < bytes.length; line++) {
    const lf = bytes.indexOf(LF, start);
    const end = lf === -1 ? bytes.length : lf + 1;
    if (strictly(label, bytes.subarray(start, end), true) === undefined) return line;
    start = end;
  }
  return line;
}

/** The line (1-based) of byte `at`. */
function lineOf(bytes: Uint8Array, at: number): number {
  let line = 1;
  for (let i = bytes.indexOf(LF); i !== -1 && i < at; i = bytes.indexOf(LF, i + 1)) line++;
  return line;
}

/**
 * The text of a file's bytes read in the chosen encoding, by the API's rules (see the top of
 * this file), or the problem that stops it.
 */
export function decodeFileText(bytes: Uint8Array, chosen: EncodingChoice): DecodedFile {
  const wide = detectWideEncoding(bytes);
  const bom = wide === "UTF-16LE" && bytes[0] === 0xff && bytes[1] === 0xfe ? "utf16le" : wide === "UTF-16BE" && bytes[0] === 0xfe && bytes[1] === 0xff ? "utf16be" : undefined;
  const encoding: EncodingChoice = bom ?? chosen;

  if (encoding === "utf16le" || encoding === "utf16be") {
    const name = encoding === "utf16le" ? "UTF-16LE" : "UTF-16BE";
    if (wide !== undefined && wide !== name) return wideProblem(wide);
    // Chosen for a file without the zero bytes of UTF-16's ASCII characters (a header line has
    // them): UTF-8 or Shift_JIS text, which would read as other (mostly CJK) characters without
    // an error. The API reads such a file as declared; its header is then refused as unknown columns.
    if (wide === undefined && bytes.length >= 4) return { ok: false, problem: { line: 1, code: "BAD_ENCODING", params: { encoding } } };
    // The decoder drops a byte order mark of its own byte order.
    const text = strictly(encoding === "utf16le" ? "utf-16le" : "utf-16be", bytes);
    if (text === undefined) return { ok: false, problem: { line: 1, code: "BAD_SURROGATE", params: { encoding: name } } };
    return { ok: true, text, encoding };
  }

  if (wide !== undefined) return wideProblem(wide);
  if (encoding === "utf8") {
    // A UTF-8 byte order mark is dropped by the decoder.
    const text = strictly("utf-8", bytes);
    if (text === undefined) return { ok: false, problem: { line: firstBadLine(bytes, "utf-8"), code: "BAD_ENCODING", params: { encoding: "utf8" } } };
    return { ok: true, text, encoding };
  }
  // Japanese text in Shift_JIS is never valid UTF-8 with a 3-byte character, but UTF-8 Japanese
  // often decodes as Shift_JIS without an error, into other characters (東京都 → 譚ｱ莠ｬ驛ｽ).
  const firstNonAscii = bytes.findIndex((b) => b >= 0x80);
  if (firstNonAscii !== -1 && bytes.some((b) => b >= 0xe0) && strictly("utf-8", bytes) !== undefined) {
    return { ok: false, problem: { line: lineOf(bytes, firstNonAscii), code: "BAD_ENCODING", params: { encoding: "shift_jis", found: "UTF-8" } } };
  }
  const text = strictly("shift_jis", bytes);
  if (text === undefined) return { ok: false, problem: { line: firstBadLine(bytes, "shift_jis"), code: "BAD_ENCODING", params: { encoding: "shift_jis" } } };
  return { ok: true, text, encoding };
}

/** Whether the file's byte order mark decided the encoding read (`read`, as the API reports it too), although another one was chosen. */
export function readAsUtf16(read: string | undefined, chosen: EncodingChoice): boolean {
  return (read === "utf16le" || read === "utf16be") && read !== chosen;
}
