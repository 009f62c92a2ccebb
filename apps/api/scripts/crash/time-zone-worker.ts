// A queued time-zone change run in its own process, so a test can SIGKILL it mid-job: claims the
// change and runs it as the server would, printing `stage <jobId> <stage>` as each stage begins;
// once the rollups are recounted (stage `saving`) it holds still inside the job's transaction for
// ten seconds, so a kill lands after the recount's writes and before the commit.
import { openDatabase } from "../../src/cli/context.ts";
import { activeTimeZoneChange, executeTimeZoneChange } from "../../src/modules/settings/time-zone-change.ts";

const handle = await openDatabase();
try {
  const change = await activeTimeZoneChange(handle.query);
  if (!change) throw new Error("No time-zone change is queued: queue one first (updateSettings with timeZone: 'queue').");
  const outcome = await executeTimeZoneChange(handle, change.id, {
    onStage: (stage) => {
      process.stdout.write(`stage ${change.id} ${stage}\n`);
      if (stage === "saving") Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10_000);
    },
  });
  process.stdout.write(`ended ${outcome.status}\n`);
} finally {
  await handle.close();
}
