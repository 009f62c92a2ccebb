export interface RfKey {
  r: number;
  f: number;
}

/** Rows R5 (most recent) at the top down to R1; columns F1 → F5. */
export const R_ROWS = [5, 4, 3, 2, 1] as const;
export const F_COLUMNS = [1, 2, 3, 4, 5] as const;

export const cellId = (c: RfKey) => `R${c.r}F${c.f}`;

/** R descending (most recent first), then F ascending: the order the matrix reads in. */
export const sortCells = (cells: readonly RfKey[]): RfKey[] => cells.map((c) => ({ r: c.r, f: c.f })).sort((a, b) => b.r - a.r || a.f - b.f);

/** Adds the cell, or removes it when already selected; kept in r-then-f order. */
export function toggleCell(selected: RfKey[], cell: RfKey): RfKey[] {
  const has = selected.some((c) => c.r === cell.r && c.f === cell.f);
  return sortCells(has ? selected.filter((c) => !(c.r === cell.r && c.f === cell.f)) : [...selected, cell]);
}

/** Whether two selections hold the same cells, in any order. */
export const sameCells = (a: readonly RfKey[], b: readonly RfKey[]) => JSON.stringify(sortCells(a)) === JSON.stringify(sortCells(b));

/** Runs of consecutive scores: [1, 2, 4] → "1–2,4" ("1〜2,4" in Japanese). */
function runs(values: number[], dash: string): string {
  const sorted = [...new Set(values)].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === (sorted[j] as number) + 1) j++;
    out.push(j === i ? `${sorted[i]}` : `${sorted[i]}${dash}${sorted[j]}`);
    i = j + 1;
  }
  return out.join(",");
}

/**
 * A default segment name from the cells, short enough for any selection (25 cells listed one by
 * one ran past the 100 characters a name may have): rows with the same F scores share one part,
 * 「R4〜5 F4〜5」, "R4–5 F4–5"; parts in matrix order, 「R5 F1〜2,4、R4 F5」, "R5 F1–2,4; R4 F5".
 */
export function defaultName(cells: readonly RfKey[], locale: string): string {
  const ja = locale.toLowerCase().startsWith("ja");
  const dash = ja ? "〜" : "–";
  const byRow = new Map<number, number[]>();
  for (const c of sortCells(cells)) byRow.set(c.r, [...(byRow.get(c.r) ?? []), c.f]);
  // Rows (most recent first) with the same F scores, merged when adjacent.
  const groups: { rs: number[]; fs: string }[] = [];
  for (const [r, fs] of byRow) {
    const key = runs(fs, dash);
    const last = groups[groups.length - 1];
    if (last && last.fs === key && last.rs[last.rs.length - 1] === r + 1) last.rs.push(r);
    else groups.push({ rs: [r], fs: key });
  }
  return groups.map((g) => `R${runs(g.rs, dash)} F${g.fs}`).join(ja ? "、" : "; ");
}
