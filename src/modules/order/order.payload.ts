import { Field, ObjectType } from "type-graphql";
import type { Order as OrderRow } from "../../generated/prisma/client.js";
import { MutationPayload } from "../../platform/validation/index.js";
import { Order } from "./order.type.js";

@ObjectType({ description: "The result of placing an order or changing its status." })
export class OrderPayload extends MutationPayload {
  @Field(() => Order, { nullable: true, description: "The order as it is now; null when `userErrors` is not empty." })
  order!: OrderRow | null;
}
