import { Directive, Field, ID, ObjectType } from "type-graphql";
import { cacheHint } from "../../platform/cache/index.js";

/** A session as `User.sessions` returns it: the stored row's public part, plus what is derived per request. */
export type SessionView = {
  id: string;
  userId: string;
  device: string | null;
  ip: string | null;
  createdAt: Date;
  lastUsedAt: Date;
  current: boolean;
};

@Directive(cacheHint.private)
@ObjectType({ description: "A signed-in device: one sign-in and the refreshes that kept it alive." })
export class Session {
  @Field(() => ID, { description: "Pass it to `revokeSession` to sign that device out." })
  id!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Browser and system, from the User-Agent at the last refresh (e.g. "Firefox on Linux").',
  })
  device!: string | null;

  @Field(() => String, { nullable: true, description: "The client address at sign-in or the last refresh." })
  ip!: string | null;

  @Field(() => Date, { description: "When the device signed in." })
  createdAt!: Date;

  @Field(() => Date, { description: "Sign-in or last refresh (access tokens are refreshed every 15 minutes)." })
  lastUsedAt!: Date;

  @Field(() => Boolean, { description: "True for the session of the access token this request came with." })
  current!: boolean;
}

/** A provider identity as `User.identities` returns it. */
export type IdentityView = {
  id: string;
  userId: string;
  provider: string;
  email: string | null;
  createdAt: Date;
  lastUsedAt: Date;
};

@Directive(cacheHint.private)
@ObjectType({ description: "An OpenID Connect provider's account (e.g. a Google account) that signs in to this one." })
export class Identity {
  @Field(() => ID, { description: "Pass it to `unlinkIdentity` to stop signing in with it." })
  id!: string;

  @Field(() => String, { description: "The configured provider's name, e.g. `google`." })
  provider!: string;

  @Field(() => String, { nullable: true, description: "The e-mail the provider reported when it was linked." })
  email!: string | null;

  @Field(() => Date, { description: "When it was linked." })
  createdAt!: Date;

  @Field(() => Date, { description: "Its last sign-in (or its linking)." })
  lastUsedAt!: Date;
}
