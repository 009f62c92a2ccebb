// The random start of a roster's systematic assignment, shared by the plan (which states the
// group sizes the launch will produce) and the launch (which assigns by it).
import { createHash } from "node:crypto";

/** u ∈ [0, 1): the first 32 bits of md5("<seed>:offset") over 2^32. */
export function assignmentOffset(seed: string): number {
  return Number.parseInt(createHash("md5").update(`${seed}:offset`).digest("hex").slice(0, 8), 16) / 4294967296;
}

/**
 * The control group's size when `n` customers are assigned with holdout ratio `h`: customer i
 * (0-based, in the roster's stratified random order) is in control when ⌊(i+1)h + u⌋ > ⌊ih + u⌋,
 * so the controls number ⌊nh + u⌋ − ⌊u⌋ = ⌊nh + u⌋, computed with the same floating-point steps
 * as the launch's SQL.
 */
export function controlCount(n: number, h: number, seed: string): number {
  return Math.floor(n * h + assignmentOffset(seed));
}
