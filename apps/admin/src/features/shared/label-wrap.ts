// Chart labels wrapped ahead of ECharts, which breaks CJK text at any character — also inside
// brackets, leaving 「購入率（CUPED補正」 on one line and 「）」 on the next. Here a bracketed part
// is kept whole (and the label column widened to fit it, within a limit), words are kept whole,
// and an opening bracket never ends a line nor a closing one starts it.

const OPEN = "（(「『［[【";
const CLOSE = "）)」』］]】";

/** A generous estimate of a string's width in px at `fontSize` (ECharts measures the real one). */
export function textWidth(text: string, fontSize: number): number {
  let em = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (code > 0x2e7f) em += 1; // CJK, kana, full-width forms and punctuation
    else if (ch === " ") em += 0.3;
    else if (/[A-Z%@mwMW]/.test(ch)) em += 0.75;
    else if (/[il.,:;'|!()[\]]/.test(ch)) em += 0.35;
    else em += 0.6;
  }
  return em * fontSize;
}

/**
 * The label's unbreakable pieces: a bracketed part as one, a run of Latin letters or digits as
 * one, a CJK character as one, spaces as their own; punctuation sticks to its neighbour.
 */
export function labelPieces(text: string): string[] {
  const pieces: string[] = [];
  const chars = [...text];
  for (let i = 0; i < chars.length; ) {
    const ch = chars[i] as string;
    const open = OPEN.indexOf(ch);
    if (open >= 0) {
      const close = chars.indexOf(CLOSE[open] as string, i + 1);
      if (close > i) {
        pieces.push(chars.slice(i, close + 1).join(""));
        i = close + 1;
        continue;
      }
    }
    if (ch === " ") {
      pieces.push(ch);
      i += 1;
      continue;
    }
    if (/[\p{L}\p{N}]/u.test(ch) && (ch.codePointAt(0) ?? 0) <= 0x2e7f) {
      let j = i + 1;
      while (j < chars.length && /[\p{L}\p{N}%.,'’\-/]/u.test(chars[j] as string) && (chars[j]?.codePointAt(0) ?? 0) <= 0x2e7f) j += 1;
      pieces.push(chars.slice(i, j).join(""));
      i = j;
      continue;
    }
    // A closing bracket or other punctuation joins the piece before it.
    if (CLOSE.includes(ch) || /[、。，．,.:;!?！？・]/.test(ch)) {
      if (pieces.length > 0) pieces[pieces.length - 1] += ch;
      else pieces.push(ch);
      i += 1;
      continue;
    }
    pieces.push(ch);
    i += 1;
  }
  return pieces;
}

/**
 * A bracketed part too wide for a line of its own is opened up into its pieces: the opening
 * bracket goes with the first, the closing one with the last.
 */
function fitPieces(pieces: string[], width: number, fontSize: number): string[] {
  return pieces.flatMap((piece) => {
    const chars = [...piece];
    if (chars.length < 3 || !OPEN.includes(chars[0] as string) || textWidth(piece, fontSize) <= width) return [piece];
    const inner = labelPieces(chars.slice(1, -1).join(""));
    if (inner.length === 0) return [piece];
    inner[0] = `${chars[0]}${inner[0]}`;
    inner[inner.length - 1] = `${inner[inner.length - 1]}${chars.at(-1)}`;
    return inner;
  });
}

/** Breaks `text` into lines no wider than `width` px, between pieces only. */
export function wrapLabel(text: string, width: number, fontSize: number): string {
  const lines: string[] = [];
  let line = "";
  for (const piece of fitPieces(labelPieces(text), width, fontSize)) {
    const next = line + piece;
    if (line.trim() === "" || textWidth(next.trimEnd(), fontSize) <= width) {
      line = line.trim() === "" ? piece.trimStart() : next;
      continue;
    }
    lines.push(line.trimEnd());
    line = piece.trimStart();
  }
  if (line.trim() !== "") lines.push(line.trimEnd());
  return lines.join("\n");
}

/**
 * Labels for a narrow label column: the column as wide as the widest unbreakable piece needs,
 * between `min` and `max` px, and each label wrapped to it.
 */
export function wrapLabels(labels: readonly string[], fontSize: number, min: number, max: number): { width: number; labels: string[] } {
  const widest = Math.max(0, ...labels.flatMap((l) => labelPieces(l).map((p) => textWidth(p.trim(), fontSize))));
  const width = Math.ceil(Math.min(max, Math.max(min, widest)));
  return { width, labels: labels.map((l) => wrapLabel(l, width, fontSize)) };
}
