// Text files in UTF-16 or UTF-32 (Excel's "Unicode Text" is UTF-16LE) recognised from their first
// bytes, so an import can read them or say which encoding to declare. Shared by the API's import
// reader and the admin's in-browser file reader, which must agree byte for byte.

export type WideEncoding = "UTF-16LE" | "UTF-16BE" | "UTF-32LE" | "UTF-32BE";

/**
 * Recognises UTF-16 and UTF-32 from the first bytes: by their byte order mark, or without one by
 * where the zero bytes fall (text in these encodings has a 0 byte in every ASCII character,
 * which UTF-8 and Shift_JIS text never has).
 */
export function detectWideEncoding(head: Uint8Array): WideEncoding | undefined {
  const [b0, b1, b2, b3] = head;
  if (b0 === 0xff && b1 === 0xfe && b2 === 0 && b3 === 0) return "UTF-32LE";
  if (b0 === 0 && b1 === 0 && b2 === 0xfe && b3 === 0xff) return "UTF-32BE";
  if (b0 === 0xff && b1 === 0xfe) return "UTF-16LE";
  if (b0 === 0xfe && b1 === 0xff) return "UTF-16BE";
  const n = Math.min(head.length, 4096) & ~3;
  if (n < 4) return undefined;
  const zeros = [0, 0, 0, 0];
  for (let i = 0; i < n; i++) if (head[i] === 0) zeros[i & 3] = (zeros[i & 3] ?? 0) + 1;
  const quarter = n / 4;
  const [z0 = 0, z1 = 0, z2 = 0, z3 = 0] = zeros;
  const mostly = (count: number) => count >= 0.6 * quarter;
  if (mostly(z1) && mostly(z2) && mostly(z3)) return "UTF-32LE";
  if (mostly(z0) && mostly(z1) && mostly(z2)) return "UTF-32BE";
  if (mostly(z1) && mostly(z3)) return "UTF-16LE";
  if (mostly(z0) && mostly(z2)) return "UTF-16BE";
  return undefined;
}
