import type { Browser } from "playwright-core";
import type { Suite } from "../harness.ts";

export const segments: Suite = {
  name: "segments",
  async run(_browser: Browser): Promise<void> {},
};
