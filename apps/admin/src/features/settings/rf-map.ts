// The RF segment map as the editor handles it: rows R1..R5 of five segment keys (F1..F5).

export function copyMap(map: readonly (readonly string[])[]): string[][] {
  return map.map((row) => [...row]);
}

/** Cells ("R2F3") whose segment differs between two maps. */
export function changedCells(a: readonly (readonly string[])[], b: readonly (readonly string[])[]): string[] {
  const out: string[] = [];
  for (let r = 0; r < 5; r++) for (let f = 0; f < 5; f++) if (a[r]?.[f] !== b[r]?.[f]) out.push(`R${r + 1}F${f + 1}`);
  return out;
}
