import { describe, expect, it } from "vitest";
import { detectWideEncoding } from "./wide-encoding.ts";

const text = "external_id\tname\r\nC1\t山田 花子\r\n";
const utf16be = (s: string) => Buffer.from(s, "utf16le").swap16();
const utf32le = (s: string) => {
  const out = Buffer.alloc(s.length * 4);
  [...s].forEach((c, i) => out.writeUInt32LE(c.codePointAt(0) ?? 0, i * 4));
  return out;
};

describe("detectWideEncoding", () => {
  it("names UTF-16 and UTF-32 by their byte order mark", () => {
    expect(detectWideEncoding(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]))).toBe("UTF-16LE");
    expect(detectWideEncoding(Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(text)]))).toBe("UTF-16BE");
    expect(detectWideEncoding(Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), utf32le(text)]))).toBe("UTF-32LE");
    expect(detectWideEncoding(Buffer.from([0, 0, 0xfe, 0xff, 0, 0, 0, 0x41]))).toBe("UTF-32BE");
  });

  it("without a mark, by where the zero bytes of ASCII characters fall", () => {
    expect(detectWideEncoding(Buffer.from(text, "utf16le"))).toBe("UTF-16LE");
    expect(detectWideEncoding(utf16be(text))).toBe("UTF-16BE");
    expect(detectWideEncoding(utf32le(text))).toBe("UTF-32LE");
  });

  it("leaves UTF-8, Shift_JIS-like bytes and files too short to tell alone", () => {
    expect(detectWideEncoding(Buffer.from(text, "utf8"))).toBeUndefined();
    expect(detectWideEncoding(Buffer.from([0x83, 0x65, 0x83, 0x58, 0x83, 0x67, 0x0a, 0x41]))).toBeUndefined();
    expect(detectWideEncoding(Buffer.from([0x41, 0x00]))).toBeUndefined();
  });
});
