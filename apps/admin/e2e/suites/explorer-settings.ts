import type { Browser } from "playwright-core";
import type { Suite } from "../harness.ts";

export const explorerSettings: Suite = {
  name: "explorer-settings",
  async run(_browser: Browser): Promise<void> {},
};
