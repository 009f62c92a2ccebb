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

/** A default segment name from the cells, e.g. "R5 × F4–5". */
export function defaultName(cells: RfKey[]): string {
  return cells.map(cellId).join(", ");
}
