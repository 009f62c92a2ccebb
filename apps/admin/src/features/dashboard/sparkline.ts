/** SVG polyline points for values in a width × height box (nulls are skipped; a flat series sits mid-height). */
export function sparklinePoints(values: readonly (number | null | undefined)[], width: number, height: number, pad = 4): string {
  const present = values.filter((v): v is number => typeof v === "number" && Number.isFinite(v));
  if (present.length === 0) return "";
  const min = Math.min(...present);
  const max = Math.max(...present);
  const span = max - min;
  const step = values.length > 1 ? (width - 2 * pad) / (values.length - 1) : 0;
  const points: string[] = [];
  values.forEach((v, i) => {
    if (typeof v !== "number" || !Number.isFinite(v)) return;
    const y = span === 0 ? height / 2 : pad + (1 - (v - min) / span) * (height - 2 * pad);
    points.push(`${(pad + i * step).toFixed(1)},${y.toFixed(1)}`);
  });
  return points.join(" ");
}
