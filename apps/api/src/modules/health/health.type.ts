import { Field, Int, ObjectType } from "type-graphql";

@ObjectType({ description: "Whether the server and its database answer." })
export class Health {
  @Field(() => String, { description: "`ok` when the database answered." })
  status!: string;

  @Field(() => String, { description: "`embedded` (PGlite) or `postgres`." })
  database!: string;

  @Field(() => Int)
  customers!: number;

  @Field(() => Int)
  orders!: number;
}
