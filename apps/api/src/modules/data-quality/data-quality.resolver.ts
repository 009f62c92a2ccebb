import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from "type-graphql";
import type { Context } from "../../context.ts";
import { ALLOW } from "../../graphql/roles.ts";
import { ordersWatermark, setOrdersWatermark, type Watermark } from "./data-quality.service.ts";
import { DataCompleteness, SetOrdersWatermarkInput } from "./data-quality.type.ts";

const toType = (w: Watermark): DataCompleteness => ({ ...w, setBy: w.setByEmail });

@Resolver()
export class DataQualityResolver {
  @Authorized(...ALLOW.read)
  @Query(() => DataCompleteness, { description: "The orders-complete-up-to watermark and the latest orders import." })
  async dataCompleteness(@Ctx() ctx: Context): Promise<DataCompleteness> {
    return toType(await ordersWatermark(ctx.query));
  }

  @Authorized(...ALLOW.administer)
  @Mutation(() => DataCompleteness, { description: "Sets the orders-complete-up-to watermark for incremental feeds (admins); null clears it." })
  async setOrdersWatermark(@Arg("input", () => SetOrdersWatermarkInput) input: SetOrdersWatermarkInput, @Ctx() ctx: Context): Promise<DataCompleteness> {
    return toType(await setOrdersWatermark(ctx.handle, ctx.viewer, input.ordersCompleteUntil ?? null, input.note ?? ""));
  }
}
