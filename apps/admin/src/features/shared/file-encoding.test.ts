import { describe, expect, it } from "vitest";
import { createI18n } from "vue-i18n";
import { messages } from "../../i18n/messages.ts";
import { problemText } from "../imports/problem-text.ts";
import { detectWideEncoding } from "@ltvloop/scoring/wide-encoding";
import { decodeFileText, ENCODING_CHOICES, readAsUtf16, type EncodingChoice } from "./file-encoding.ts";

const i18nFor = (locale: "ja" | "en") => createI18n({ legacy: false, locale, messages, missingWarn: false, fallbackWarn: false }).global;
const ja = i18nFor("ja");
const en = i18nFor("en");

/** Shift_JIS (CP932) bytes of the Japanese words in the files below, as Excel on Japanese Windows writes them. */
const SJIS: Record<string, number[]> = {
  メール: [0x83, 0x81, 0x81, 0x5b, 0x83, 0x8b],
  送信: [0x91, 0x97, 0x90, 0x4d],
  // NEC special characters: CP932, not JIS X 0208.
  "①㈱": [0x87, 0x40, 0x87, 0x8a],
  // Half-width katakana: one byte each.
  ﾃｽﾄ: [0xc3, 0xbd, 0xc4],
};

/** A file's bytes: ASCII as it is, the Japanese words of SJIS in Shift_JIS. */
function shiftJis(text: string): Uint8Array {
  const out: number[] = [];
  const words = new RegExp(Object.keys(SJIS).join("|"), "gu");
  let at = 0;
  for (const m of text.matchAll(words)) {
    for (const ch of text.slice(at, m.index)) out.push(ch.charCodeAt(0));
    out.push(...(SJIS[m[0]] as number[]));
    at = (m.index ?? 0) + m[0].length;
  }
  for (const ch of text.slice(at)) out.push(ch.charCodeAt(0));
  if (out.some((b) => b > 0xff)) throw new Error("a character without its Shift_JIS bytes in SJIS");
  return Uint8Array.from(out);
}

const utf8 = (text: string) => new TextEncoder().encode(text);
/** UTF-16 code units in either byte order, with or without a byte order mark. */
function utf16(text: string, order: "le" | "be", bom: boolean): Uint8Array {
  const units = bom ? [0xfeff] : [];
  for (let i = 0; i < text.length; i++) units.push(text.charCodeAt(i));
  const out = new Uint8Array(units.length * 2);
  units.forEach((u, i) => {
    out[2 * i + (order === "le" ? 0 : 1)] = u & 0xff;
    out[2 * i + (order === "le" ? 1 : 0)] = u >> 8;
  });
  return out;
}

const DELIVERIES = "customer_external_id,event,occurred_at,channel\r\nC0001,sent,2025-06-02 10:00,メール\r\nC0002,delivered,2025-06-02 10:00:05,①㈱ ﾃｽﾄ\r\n";
const UNICODE_TEXT = "customer_external_id\tevent\toccurred_at\tchannel\r\nC0001\tsent\t2025-06-02 10:00\tメール\r\n";
const CHOICES: EncodingChoice[] = ["utf8", "shift_jis", "utf16le", "utf16be"];

/** The problem of a file that cannot be read, as the page words it. */
function refusal(bytes: Uint8Array, chosen: EncodingChoice) {
  const read = decodeFileText(bytes, chosen);
  if (read.ok) throw new Error(`read as ${read.encoding}: ${read.text.slice(0, 40)}`);
  return { ...read.problem, ja: problemText(ja, read.problem), en: problemText(en, read.problem) };
}

describe("reading an uploaded file in the chosen encoding", () => {
  it("offers the imports page's four encodings, named in both languages", () => {
    expect(ENCODING_CHOICES.map((c) => c.value)).toEqual(CHOICES);
    expect(ENCODING_CHOICES.map((c) => ja.t(c.key))).toEqual(["UTF-8（標準）", "Shift_JIS（日本語版 Windows の Excel）", "UTF-16LE（BOM なし）", "UTF-16BE（BOM なし）"]);
    expect(ENCODING_CHOICES.map((c) => en.t(c.key))).toEqual(["UTF-8 (standard)", "Shift_JIS (Excel on Japanese Windows)", "UTF-16LE (no byte order mark)", "UTF-16BE (no byte order mark)"]);
  });

  it("reads a Shift_JIS delivery file saved by Excel on Japanese Windows into the right Japanese text", () => {
    const bytes = shiftJis(DELIVERIES);
    // The hard-coded bytes are what a Shift_JIS decoder reads as the words (a check on the test itself).
    expect(new TextDecoder("shift_jis").decode(Uint8Array.from(SJIS["メール"] as number[]))).toBe("メール");
    expect(decodeFileText(bytes, "shift_jis")).toEqual({ ok: true, text: DELIVERIES, encoding: "shift_jis" });
  });

  it("reads UTF-8 with or without a byte order mark, dropping the mark", () => {
    expect(decodeFileText(utf8(DELIVERIES), "utf8")).toEqual({ ok: true, text: DELIVERIES, encoding: "utf8" });
    expect(decodeFileText(utf8(`\uFEFF${DELIVERIES}`), "utf8")).toEqual({ ok: true, text: DELIVERIES, encoding: "utf8" });
    // Plain ASCII is the same text in UTF-8 and Shift_JIS.
    const ascii = "customer_external_id,event,occurred_at\nC1,sent,2025-06-02\n";
    expect(decodeFileText(utf8(ascii), "shift_jis")).toEqual({ ok: true, text: ascii, encoding: "shift_jis" });
  });

  it("reads Excel's Unicode Text (UTF-16 with a byte order mark) whatever encoding is chosen, and says so", () => {
    for (const order of ["le", "be"] as const) {
      const read = order === "le" ? "utf16le" : "utf16be";
      for (const chosen of CHOICES) {
        expect(decodeFileText(utf16(UNICODE_TEXT, order, true), chosen), `${order} chosen as ${chosen}`).toEqual({ ok: true, text: UNICODE_TEXT, encoding: read });
        expect(readAsUtf16(read, chosen)).toBe(read !== chosen);
      }
    }
    expect(readAsUtf16("utf8", "utf8")).toBe(false);
    expect(readAsUtf16("shift_jis", "utf8")).toBe(false);
  });

  it("reads UTF-16 without a byte order mark when it is chosen, and otherwise says which to choose", () => {
    expect(decodeFileText(utf16(UNICODE_TEXT, "le", false), "utf16le")).toEqual({ ok: true, text: UNICODE_TEXT, encoding: "utf16le" });
    expect(decodeFileText(utf16(UNICODE_TEXT, "be", false), "utf16be")).toEqual({ ok: true, text: UNICODE_TEXT, encoding: "utf16be" });
    const le = refusal(utf16(UNICODE_TEXT, "le", false), "utf8");
    expect(le).toMatchObject({ line: 1, code: "WIDE_ENCODING", params: { found: "UTF-16LE", declare: "utf16le" } });
    expect(le.ja).toBe("ファイルが BOM なしの UTF-16LE で保存されています。文字コードに UTF-16LE を選ぶか、UTF-8 の CSV として保存し直してください。");
    expect(le.en).toBe("The file is UTF-16LE text without a byte order mark. Choose UTF-16LE as the encoding, or save it again as UTF-8 CSV.");
    expect(refusal(utf16(UNICODE_TEXT, "be", false), "utf16le")).toMatchObject({ code: "WIDE_ENCODING", params: { found: "UTF-16BE", declare: "utf16be" } });
    expect(detectWideEncoding(Uint8Array.from([0xff, 0xfe, 0, 0, 0x41, 0, 0, 0]))).toBe("UTF-32LE");
    expect(refusal(Uint8Array.from([0xff, 0xfe, 0, 0, 0x41, 0, 0, 0]), "utf8")).toMatchObject({ code: "WIDE_ENCODING", params: { found: "UTF-32LE" }, en: "The file was saved as UTF-32LE. Save it again as UTF-8 CSV." });
  });

  it("refuses bytes that are not valid in the chosen encoding with the line and which encoding to choose, never garbled text", () => {
    // Shift_JIS read as UTF-8: the first bad line, and "choose Shift_JIS".
    const sjisAsUtf8 = refusal(shiftJis(DELIVERIES), "utf8");
    expect(sjisAsUtf8).toMatchObject({ line: 2, code: "BAD_ENCODING", params: { encoding: "utf8" } });
    expect(sjisAsUtf8.ja).toBe("UTF-8 として読めない文字があります。日本語版 Windows の Excel で保存した CSV なら、文字コードに Shift_JIS を選んでください。");
    expect(sjisAsUtf8.en).toBe("Some characters are not UTF-8. If Excel on Japanese Windows saved the file, choose Shift_JIS as the encoding.");
    // UTF-8 read as Shift_JIS would decode without a fault into other characters (メール → 繝。繝ｼ繝ｫ): refused, "choose UTF-8".
    const utf8AsSjis = refusal(utf8(DELIVERIES), "shift_jis");
    expect(utf8AsSjis).toMatchObject({ line: 2, code: "BAD_ENCODING", params: { encoding: "shift_jis", found: "UTF-8" } });
    expect(utf8AsSjis.ja).toMatch(/文字コードに UTF-8 を選んでください。$/);
    expect(utf8AsSjis.en).toMatch(/choose UTF-8 as the encoding\.$/);
    // A byte no Shift_JIS character has (0xFD), on line 3.
    const bad = shiftJis(DELIVERIES);
    bad[bad.lastIndexOf(0x2c) + 1] = 0xfd;
    expect(refusal(bad, "shift_jis")).toMatchObject({ line: 3, code: "BAD_ENCODING", params: { encoding: "shift_jis" } });
    // UTF-16 chosen for a file without UTF-16 characters: "choose UTF-8 or Shift_JIS", not CJK gibberish.
    const asUtf16 = refusal(shiftJis(DELIVERIES), "utf16le");
    expect(asUtf16).toMatchObject({ line: 1, code: "BAD_ENCODING", params: { encoding: "utf16le" } });
    expect(asUtf16.ja).toBe("ファイルを UTF-16LE のテキストとして読めません。文字コードに UTF-8 を選ぶか、日本語版 Windows の Excel で保存したファイルなら Shift_JIS を選んでください。");
    expect(asUtf16.en).toBe("The file does not read as UTF-16LE text. Choose UTF-8 as the encoding, or Shift_JIS if Excel on Japanese Windows saved it.");
    // An unpaired surrogate in UTF-16 text.
    const lone = utf16(UNICODE_TEXT, "le", true);
    lone[10] = 0x00;
    lone[11] = 0xd8;
    expect(refusal(lone, "utf8")).toMatchObject({ line: 1, code: "BAD_SURROGATE", params: { encoding: "UTF-16LE" } });
  });
});
