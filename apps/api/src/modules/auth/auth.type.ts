import { Field, GraphQLISODateTime, ID, ObjectType, registerEnumType } from "type-graphql";

export enum RoleEnum {
  ADMIN = "admin",
  OPERATOR = "operator",
  ANALYST = "analyst",
  REVIEWER = "reviewer",
}
registerEnumType(RoleEnum, { name: "Role", description: "DESIGN §6 roles." });

@ObjectType({ description: "A person who signs in." })
export class User {
  @Field(() => ID)
  id!: number;

  @Field(() => String)
  email!: string;

  @Field(() => String)
  name!: string;

  @Field(() => RoleEnum)
  role!: RoleEnum;

  @Field(() => Boolean)
  isActive!: boolean;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;

  @Field(() => GraphQLISODateTime, { nullable: true })
  lastLoginAt!: Date | null;
}

@ObjectType({ description: "The signed-in caller." })
export class Me {
  @Field(() => ID)
  id!: number;

  @Field(() => String)
  email!: string;

  @Field(() => RoleEnum)
  role!: RoleEnum;

  @Field(() => String, { description: "`session` for people, `api_key` for scripts." })
  authenticatedVia!: string;
}

@ObjectType()
export class LoginPayload {
  @Field(() => Me)
  me!: Me;

  @Field(() => GraphQLISODateTime, { description: "When the session cookie expires." })
  expiresAt!: Date;
}

@ObjectType()
export class ApiKey {
  @Field(() => ID)
  id!: number;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: "The key's first characters, to tell keys apart." })
  prefix!: string;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;

  @Field(() => GraphQLISODateTime, { nullable: true })
  lastUsedAt!: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  revokedAt!: Date | null;
}

@ObjectType()
export class CreatedApiKey {
  @Field(() => String, { description: "The secret: shown once, store it now. Send it as `Authorization: Bearer <key>`." })
  key!: string;

  @Field(() => ApiKey)
  apiKey!: ApiKey;
}
