/**
 * A small seeded generator of uniform numbers in [0, 1) (mulberry32, 32-bit state): the same
 * seed gives the same sequence, for bootstraps, simulations and tests that must repeat exactly.
 * Not for anything that needs unpredictability.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
