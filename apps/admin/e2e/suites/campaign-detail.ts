import type { Browser } from "playwright-core";
import type { Suite } from "../harness.ts";

export const campaignDetail: Suite = {
  name: "campaign-detail",
  async run(_browser: Browser): Promise<void> {},
};
