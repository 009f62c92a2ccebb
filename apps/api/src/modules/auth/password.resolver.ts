import { Arg, Authorized, Ctx, Mutation, Resolver } from "type-graphql";
import type { Context, Viewer } from "../../context.ts";
import { ALLOW } from "../../graphql/roles.ts";
import { changePassword } from "./password-change.service.ts";

@Resolver()
export class PasswordResolver {
  @Authorized(...ALLOW.read)
  @Mutation(() => Boolean, {
    description:
      "Changes your own password (every role). Needs the current password; your other sessions end, this one stays. Problems carry a `reason` (TOO_SHORT, SAME_AS_CURRENT, WRONG_PASSWORD).",
  })
  changePassword(
    @Arg("currentPassword", () => String) currentPassword: string,
    @Arg("newPassword", () => String) newPassword: string,
    @Ctx() ctx: Context,
  ): Promise<boolean> {
    return ctx.handle.transaction(async (tx) => {
      await changePassword(tx, ctx.viewer as Viewer, { currentPassword, newPassword });
      return true;
    });
  }
}
