import type { Browser } from "playwright-core";
import type { Suite } from "../harness.ts";

export const campaignPlan: Suite = {
  name: "campaign-plan",
  async run(_browser: Browser): Promise<void> {},
};
