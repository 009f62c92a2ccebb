import { Field, GraphQLISODateTime, ID, InputType, ObjectType, registerEnumType } from "type-graphql";

export enum SavedViewListEnum {
  CUSTOMERS = "customers",
  CAMPAIGNS = "campaigns",
}
registerEnumType(SavedViewListEnum, { name: "SavedViewList", description: "A list whose filters can be saved: the customer list or the campaign board." });

@ObjectType({ description: "A named view of a list, saved by the signed-in user: the list's URL query." })
export class SavedView {
  @Field(() => ID)
  id!: string;

  @Field(() => SavedViewListEnum)
  list!: SavedViewListEnum;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: "The list's URL query without \"?\", e.g. q=%E7%94%B0&seg=at_risk; open the list with it." })
  query!: string;

  @Field(() => GraphQLISODateTime)
  updatedAt!: Date;
}

@InputType()
export class SaveViewInput {
  @Field(() => SavedViewListEnum)
  list!: SavedViewListEnum;

  @Field(() => String, { description: "1–80 characters; saving under a name you already use replaces that view." })
  name!: string;

  @Field(() => String, { description: "The list's URL query (at most 2000 characters)." })
  query!: string;
}
