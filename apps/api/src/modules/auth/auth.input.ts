import { Field, InputType } from "type-graphql";
import { RoleEnum } from "./auth.type.ts";

@InputType()
export class CreateUserInput {
  @Field(() => String)
  email!: string;

  @Field(() => String, { defaultValue: "" })
  name!: string;

  @Field(() => RoleEnum)
  role!: RoleEnum;

  @Field(() => String, { description: "At least 10 characters." })
  password!: string;
}

@InputType({ description: "What to change about a user; omitted fields stay as they are." })
export class UpdateUserInput {
  @Field(() => String, { nullable: true, description: "Display name, up to 100 characters." })
  name?: string | null;

  @Field(() => RoleEnum, { nullable: true, description: "Takes effect on the user's next request, for sessions and API keys alike." })
  role?: RoleEnum | null;

  @Field(() => Boolean, {
    nullable: true,
    description: "false deactivates: ends the user's sessions and stops their API keys from working until reactivated.",
  })
  isActive?: boolean | null;
}
