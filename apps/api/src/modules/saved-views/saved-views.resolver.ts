import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import type { Context } from "../../context.ts";
import { ALLOW } from "../../graphql/roles.ts";
import { deleteSavedView, listSavedViews, saveView, type SavedView as Row } from "./saved-views.service.ts";
import { SaveViewInput, SavedView, SavedViewListEnum } from "./saved-views.type.ts";

const toType = (row: Row): SavedView => ({ ...row, id: String(row.id), list: row.list as SavedViewListEnum });

@Resolver()
export class SavedViewResolver {
  @Authorized(...ALLOW.read)
  @Query(() => [SavedView], { description: "Your saved views of one list, by name." })
  async savedViews(@Arg("list", () => SavedViewListEnum) list: SavedViewListEnum, @Ctx() ctx: Context): Promise<SavedView[]> {
    return (await listSavedViews(ctx.db, ctx.viewer, list)).map(toType);
  }

  @Authorized(...ALLOW.read)
  @Mutation(() => SavedView, { description: "Saves the current filters of a list under a name (yours only); the same name replaces." })
  async saveView(@Arg("input", () => SaveViewInput) input: SaveViewInput, @Ctx() ctx: Context): Promise<SavedView> {
    return toType(await saveView(ctx.db, ctx.viewer, input));
  }

  @Authorized(...ALLOW.read)
  @Mutation(() => ID, { description: "Deletes one of your saved views; returns its id." })
  async deleteSavedView(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<string> {
    return String(await deleteSavedView(ctx.db, ctx.viewer, Number(id)));
  }
}
