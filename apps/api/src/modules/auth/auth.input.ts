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
