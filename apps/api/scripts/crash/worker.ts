// One unit of work for the crash test, run in its own process so it can be SIGKILLed:
// `launch <campaignId> <idempotencyKey>` launches a planned campaign as the API would;
// `tick <leaseMs> <backoffMs> [hold]` runs one scheduler pass as `ltvloop worker` would, printing
// each snapshot stage as `progress <jobId> <stage>`; with `hold` it then holds still for a few
// seconds inside the snapshot's transaction once its scores are written, so a SIGKILL is sure to
// land mid-job.
import { openDatabase } from "../../src/cli/context.ts";
import { launchCampaign } from "../../src/modules/campaigns/campaign-launch.service.ts";
import { schedulerTick } from "../../src/modules/scheduler/scheduler.service.ts";

const [op, ...args] = process.argv.slice(2);
const handle = await openDatabase();
try {
  if (op === "launch") {
    const campaign = await launchCampaign(handle, null, Number(args[0]), String(args[1]));
    process.stdout.write(`${JSON.stringify({ id: campaign.id, status: campaign.status })}\n`);
  } else if (op === "tick") {
    let held = args[2] !== "hold";
    const ran = await schedulerTick(handle, {
      leaseMs: Number(args[0]),
      backoffMs: Number(args[1]),
      onProgress: (jobId, progress, stage) => {
        process.stdout.write(`progress ${jobId} ${stage} ${progress}\n`);
        if (!held && progress >= 0.8) {
          held = true;
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5000);
        }
      },
    });
    process.stdout.write(`ran ${ran}\n`);
  } else {
    throw new Error(`unknown operation ${op}; expected launch <campaignId> <key> or tick <leaseMs> <backoffMs>`);
  }
} finally {
  await handle.close();
}
