// One unit of work for the crash test, run in its own process so it can be SIGKILLed:
// `launch <campaignId> <idempotencyKey>` launches a planned campaign as the API would.
import { openDatabase } from "../../src/cli/context.ts";
import { launchCampaign } from "../../src/modules/campaigns/campaign-launch.service.ts";

const [op, ...args] = process.argv.slice(2);
const handle = await openDatabase();
try {
  if (op === "launch") {
    const campaign = await launchCampaign(handle, null, Number(args[0]), String(args[1]));
    process.stdout.write(`${JSON.stringify({ id: campaign.id, status: campaign.status })}\n`);
  } else {
    throw new Error(`unknown operation ${op}; expected launch <campaignId> <key>`);
  }
} finally {
  await handle.close();
}
