import { Arg, Args, Authorized, Ctx, Mutation, Query, Resolver } from "type-graphql";
import type { Context } from "../../context.ts";
import { badInput } from "../../errors.ts";
import { fieldProblem } from "../../reasons.ts";
import { ALLOW } from "../../graphql/roles.ts";
import { writeAudit } from "../audit/audit.service.ts";
import { getSettings } from "../settings/settings.service.ts";
import { loyaltyAnalysis } from "./loyalty-analysis.service.ts";
import { processExpiries } from "./loyalty-earn.service.ts";
import { importLoyaltyEntries } from "./loyalty-import.ts";
import { customerLoyalty, writeManualEntry } from "./loyalty-ledger.service.ts";
import { addPointRule, addStampRule, loyaltyRules } from "./loyalty-rules.service.ts";
import { CustomerLoyaltyArgs, ImportLoyaltyEntriesArgs, LoyaltyEntryInput, LoyaltyPointRuleInput, LoyaltyStampRuleInput } from "./loyalty.input.ts";
import type {
  PointExpiryModeEnum,
  PointRoundingEnum,
  StampPerEnum} from "./loyalty.type.ts";
import {
  CustomerLoyalty,
  LoyaltyAnalysis,
  LoyaltyEntriesImportResult,
  LoyaltyEntryResult,
  LoyaltyExpiryResult,
  LoyaltySettings
} from "./loyalty.type.ts";

const MAX_CSV_CHARS = 1_000_000;
const toMap = (list: { key: string; multiplier: number }[]) => Object.fromEntries(list.map((m) => [m.key.trim(), m.multiplier]));
const toList = (map: Record<string, number>) => Object.entries(map).map(([key, multiplier]) => ({ key, multiplier }));

@Resolver()
export class LoyaltyResolver {
  @Authorized(...ALLOW.read)
  @Query(() => LoyaltySettings, { description: "The loyalty programmes and every version of their rules." })
  async loyaltySettings(@Ctx() ctx: Context): Promise<LoyaltySettings> {
    const rules = await loyaltyRules(ctx.query);
    const now = Date.now();
    const currentPoint = rules.pointRules.find((r) => r.effectiveFrom.getTime() <= now);
    const currentStamp = rules.stampRules.find((r) => r.effectiveFrom.getTime() <= now);
    return {
      ...rules,
      pointRules: rules.pointRules.map((r) => ({
        ...r,
        channelMultipliers: toList(r.channelMultipliers),
        tierMultipliers: toList(r.tierMultipliers),
        rounding: r.rounding as PointRoundingEnum,
        expiryMode: r.expiryMode as PointExpiryModeEnum,
        isCurrent: r === currentPoint,
      })),
      stampRules: rules.stampRules.map((r) => ({ ...r, per: r.per as StampPerEnum, isCurrent: r === currentStamp })),
    };
  }

  @Authorized(...ALLOW.read)
  @Query(() => LoyaltyAnalysis, { description: "Members, balances, earn/redemption/breakage rates, liability and stamp progress per RFM segment and RF cell." })
  async loyaltyAnalysis(@Ctx() ctx: Context): Promise<LoyaltyAnalysis> {
    const settings = await getSettings(ctx.query);
    const result = await loyaltyAnalysis(ctx.query, { timeZone: settings.timeZone, currency: settings.currency });
    return { ...result, activityVsRepeatLabel: "DESCRIPTIVE_NOT_CAUSAL" };
  }

  @Authorized(...ALLOW.read)
  @Query(() => CustomerLoyalty, { description: "A customer's points balance, ledger and stamp cards." })
  async customerLoyalty(@Args(() => CustomerLoyaltyArgs) { customerId, limit }: CustomerLoyaltyArgs, @Ctx() ctx: Context): Promise<CustomerLoyalty> {
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw badInput("limit must be 1–1000.", [fieldProblem("limit", "WHOLE_NUMBER", { min: 1, max: 1000 })]);
    return customerLoyalty(ctx.query, Number(customerId), limit);
  }

  @Authorized(...ALLOW.administer)
  @Mutation(() => LoyaltySettings, { description: "Adds a version of the points rules (admins), effective from now or later; audited." })
  async addLoyaltyPointRule(@Arg("input", () => LoyaltyPointRuleInput) input: LoyaltyPointRuleInput, @Ctx() ctx: Context): Promise<LoyaltySettings> {
    await ctx.handle.transaction(({ query }) =>
      addPointRule(query, { ...input, channelMultipliers: toMap(input.channelMultipliers), tierMultipliers: toMap(input.tierMultipliers) }, ctx.viewer),
    );
    return this.loyaltySettings(ctx);
  }

  @Authorized(...ALLOW.administer)
  @Mutation(() => LoyaltySettings, { description: "Adds a version of the stamp card rules (admins), effective from now or later; audited." })
  async addLoyaltyStampRule(@Arg("input", () => LoyaltyStampRuleInput) input: LoyaltyStampRuleInput, @Ctx() ctx: Context): Promise<LoyaltySettings> {
    await ctx.handle.transaction(({ query }) => addStampRule(query, input, ctx.viewer));
    return this.loyaltySettings(ctx);
  }

  @Authorized(...ALLOW.administer)
  @Mutation(() => LoyaltyEntryResult, { description: "Records a redemption or adjustment (admins); refused if it would make the balance negative; audited." })
  recordLoyaltyEntry(@Arg("input", () => LoyaltyEntryInput) input: LoyaltyEntryInput, @Ctx() ctx: Context): Promise<LoyaltyEntryResult> {
    return ctx.handle.transaction(async ({ query }) => {
      const result = await writeManualEntry(
        query,
        { customerId: Number(input.customerId), kind: input.kind, points: input.points, idempotencyKey: input.entryId, note: input.note ?? null },
        ctx.viewer,
      );
      if (!result.isReplay) {
        await writeAudit(query, ctx.viewer, `loyalty.${input.kind}`, "customers", result.customerId, { entryId: input.entryId, points: result.points, note: input.note ?? null });
      }
      return result;
    });
  }

  @Authorized(...ALLOW.administer)
  @Mutation(() => LoyaltyEntriesImportResult, { description: "Imports redemptions and adjustments from CSV or tab-separated text (admins); all rows or none; replaying changes nothing; audited." })
  async importLoyaltyEntries(@Args(() => ImportLoyaltyEntriesArgs) { csv, fileName }: ImportLoyaltyEntriesArgs, @Ctx() ctx: Context): Promise<LoyaltyEntriesImportResult> {
    if (csv.length > MAX_CSV_CHARS) throw badInput(`The file is too large (${csv.length} characters): at most ${MAX_CSV_CHARS}; use \`ltvloop import loyalty\`.`, [fieldProblem("csv", "FILE_TOO_LARGE", { max: MAX_CSV_CHARS, length: csv.length })], "FILE_TOO_LARGE", { max: MAX_CSV_CHARS, length: csv.length, command: "ltvloop import loyalty" });
    return importLoyaltyEntries(ctx.handle, csv, { label: fileName, actor: ctx.viewer });
  }

  @Authorized(...ALLOW.administer)
  @Mutation(() => LoyaltyExpiryResult, { description: "Writes the points expiries due by now (admins); running it again writes nothing; audited." })
  processLoyaltyExpiries(@Ctx() ctx: Context): Promise<LoyaltyExpiryResult> {
    return ctx.handle.transaction(async ({ query }) => {
      const now = new Date();
      const n = await processExpiries(query, now);
      await writeAudit(query, ctx.viewer, "loyalty.expire", "loyalty_point_entries", null, { asOf: now.toISOString(), entries: n });
      return { asOf: now, entriesWritten: n };
    });
  }
}
