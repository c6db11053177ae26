import { Directive, Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { type OrderItem as OrderItemRow, type Order as OrderRow, OrderStatus } from "../../generated/prisma/client.js";
import { cacheHint } from "../../platform/cache/index.js";
import { Node } from "../../platform/node.js";
import { connectionType } from "../../platform/pagination/index.js";

registerEnumType(OrderStatus, {
  name: "OrderStatus",
  description: "Where an order is in its life, from checkout to the customer's door.",
  valuesConfig: {
    PENDING: { description: "Placed, waiting for payment." },
    PAID: { description: "Paid, waiting to be shipped." },
    SHIPPED: { description: "Handed to the carrier." },
    DELIVERED: { description: "Arrived at the shipping address." },
    CANCELLED: { description: "Cancelled before delivery; nothing more will happen to it." },
  },
});

@Directive(cacheHint.private)
@ObjectType({
  description:
    "Where an order was sent, copied from the address book when it was placed: later edits to the book do not change it.",
})
export class ShippingAddress {
  @Field(() => String, { description: "Who receives the parcel." })
  recipient!: string;

  @Field(() => String, { description: "First address line: street and number." })
  line1!: string;

  @Field(() => String, { nullable: true, description: "Second address line: apartment, suite, floor." })
  line2!: string | null;

  @Field(() => String, { description: "City or town." })
  city!: string;

  @Field(() => String, { nullable: true, description: "State, province or region, where the country uses one." })
  region!: string | null;

  @Field(() => String, { description: "Postal or ZIP code." })
  postalCode!: string;

  @Field(() => String, { description: "ISO 3166-1 alpha-2 country code, e.g. `DE`." })
  country!: string;
}

@Directive(cacheHint.private)
@ObjectType({ description: "A purchase. Visible to the customer who placed it and to admins.", implements: Node })
export class Order implements Omit<OrderRow, "userId" | "shippingAddress" | "idempotencyKey"> {
  @Field(() => ID, { description: "Stable unique id." })
  id!: string;

  @Field(() => OrderStatus, { description: "Where the order is in its life." })
  status!: OrderStatus;

  @Field(() => Int, { description: "What the customer paid, in minor units of `currency` (cents): 1999 means 19.99." })
  totalCents!: number;

  @Field(() => String, { description: "ISO 4217 currency code of every amount in the order." })
  currency!: string;

  @Field(() => Date, { description: "When the order was placed." })
  createdAt!: Date;

  @Field(() => Date, { description: "When the order last changed (its status, usually)." })
  updatedAt!: Date;
}

@Directive(cacheHint.private)
@ObjectType({ description: "One product line of an order, at the price paid.", implements: Node })
export class OrderItem implements Omit<OrderItemRow, "orderId" | "productId" | "createdAt"> {
  @Field(() => ID, { description: "Stable unique id." })
  id!: string;

  @Field(() => Int, { description: "Units bought." })
  quantity!: number;

  @Field(() => Int, {
    description: "Price of one unit when the order was placed, in cents; the product's price today may differ.",
  })
  unitPriceCents!: number;
}

export const OrderConnection = connectionType(Order, "Order", "order");
