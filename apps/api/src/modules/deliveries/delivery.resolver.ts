import { Args, Authorized, Ctx, Mutation, Resolver } from "type-graphql";
import type { Context } from "../../context.ts";
import { badInput } from "../../errors.ts";
import { fieldProblem } from "../../reasons.ts";
import { ALLOW } from "../../graphql/roles.ts";
import { parseId } from "../campaigns/campaign.validate.ts";
import type { ImportActor } from "../import/import.types.ts";
import { importDeliveries } from "./delivery-import.service.ts";
import { ImportDeliveriesArgs } from "./delivery.input.ts";
import { DeliveryImportResult } from "./delivery.type.ts";

const MAX_CSV_CHARS = 1_000_000;

@Resolver()
export class DeliveryResolver {
  @Authorized(...ALLOW.runCampaigns)
  @Mutation(() => DeliveryImportResult, {
    description:
      "Imports a launched campaign's delivery results from CSV or tab-separated text, validated like the order import (line-numbered problems; a file with any bad row writes nothing), in one transaction. Re-importing the same rows changes nothing.",
  })
  async importDeliveries(@Args(() => ImportDeliveriesArgs) args: ImportDeliveriesArgs, @Ctx() ctx: Context): Promise<DeliveryImportResult> {
    const campaignId = parseId(args.campaignId, "campaignId", "campaign");
    if (args.csv.length > MAX_CSV_CHARS) {
      throw badInput(`The file is too large (${args.csv.length} characters): at most ${MAX_CSV_CHARS}; use \`ltvloop import deliveries --campaign ${campaignId}\`.`, [
        fieldProblem("csv", "FILE_TOO_LARGE", { max: MAX_CSV_CHARS, length: args.csv.length }),
      ], "FILE_TOO_LARGE", { max: MAX_CSV_CHARS, length: args.csv.length, command: `ltvloop import deliveries --campaign ${campaignId}` });
    }
    const viewer = ctx.viewer;
    const actor: ImportActor | undefined = viewer ? (viewer.via === "api_key" && viewer.apiKeyId !== undefined ? { kind: "api_key", apiKeyId: viewer.apiKeyId } : { kind: "user", userId: viewer.userId }) : undefined;
    const summary = await importDeliveries({
      handle: ctx.handle,
      campaignId,
      source: args.csv,
      label: args.fileName,
      dryRun: args.dryRun,
      ...(actor ? { actor } : {}),
    });
    const counts = summary.deliveries ?? { inserted: 0, updated: 0, unchanged: 0 };
    return { campaignId, fileName: args.fileName, isDryRun: summary.isDryRun, rowsRead: summary.rowsRead, delimiter: summary.delimiter ?? "comma", ...counts, controlCustomers: summary.controlCustomers ?? 0 };
  }
}
