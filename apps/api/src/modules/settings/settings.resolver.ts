import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from "type-graphql";
import type { Context } from "../../context.ts";
import { ALLOW } from "../../graphql/roles.ts";
import { jobStatementTimeoutMs } from "../jobs/job.timeouts.ts";
import { TIME_ZONE_RECOUNT, effectiveRfSegmentMap, getSettings, updateSettings, type Settings } from "./settings.service.ts";
import { SettingsType, UpdateSettingsInput, type RfmBinModeEnum } from "./settings.type.ts";

const toType = (s: Settings): SettingsType => ({
  ...s,
  rfmBinMode: s.rfmBinMode as RfmBinModeEnum,
  effectiveRfmSegmentMap: effectiveRfSegmentMap(s),
});

@Resolver()
export class SettingsResolver {
  @Authorized(...ALLOW.read)
  @Query(() => SettingsType, { description: "Business settings: time zone, currency, margin, RFM bins." })
  async settings(@Ctx() ctx: Context): Promise<SettingsType> {
    return toType(await getSettings(ctx.query));
  }

  @Authorized(...ALLOW.administer)
  @Mutation(() => SettingsType, {
    description:
      "Changes settings (admins). New snapshots use them; earlier ones keep theirs. A new timeZone recounts every customer's purchase days in the same transaction, under a background job's statement timeout (LTVLOOP_JOB_STATEMENT_TIMEOUTS kind `time-zone`): a minute or more on ten million orders.",
  })
  async updateSettings(@Arg("input", () => UpdateSettingsInput) input: UpdateSettingsInput, @Ctx() ctx: Context): Promise<SettingsType> {
    const recountTimeoutMs = jobStatementTimeoutMs(ctx.env, TIME_ZONE_RECOUNT);
    return toType(await updateSettings(ctx.handle, ctx.viewer, input, { recountTimeoutMs }));
  }
}
