import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsInt, Matches, Max, Min, ValidateNested } from "class-validator";
import { Field, ID, InputType, Int } from "type-graphql";
import { IsId } from "../../platform/validation/index.js";

export const ORDER_LINES_MAX = 50;
export const LINE_QUANTITY_MAX = 100;
const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{8,128}$/;

// Prices, totals, currency, status and the address snapshot have no field: the server takes them from
// the database when the order is placed, never from the client.

@InputType({ description: "One product line of a new order." })
export class OrderLineInput {
  @Field(() => ID, { description: "The product (an active one)." })
  @IsId()
  productId!: string;

  @Field(() => Int, { description: `Units to buy, 1 to ${LINE_QUANTITY_MAX}.` })
  @IsInt()
  @Min(1)
  @Max(LINE_QUANTITY_MAX)
  quantity!: number;
}

@InputType({ description: "A checkout: what to buy, where to send it, and a key that makes retrying safe." })
export class PlaceOrderInput {
  @Field(() => [OrderLineInput], {
    description: `The products and quantities, 1 to ${ORDER_LINES_MAX} lines, each product once.`,
  })
  @ArrayMinSize(1, { message: "An order needs at least one line." })
  @ArrayMaxSize(ORDER_LINES_MAX)
  @ArrayUnique((line: OrderLineInput) => String(line?.productId).toLowerCase(), {
    message: "Each product may appear once: put the total in its quantity.",
  })
  @ValidateNested({ each: true })
  items!: OrderLineInput[];

  @Field(() => ID, { description: "One of your addresses; the order keeps a copy of it as it is now." })
  @IsId()
  addressId!: string;

  @Field(() => String, {
    description:
      "A key you make up for this checkout (a UUID is ideal), 8 to 128 of `A-Z a-z 0-9 . _ : -`. Sending the same key again returns the order it placed instead of placing another.",
  })
  @Matches(IDEMPOTENCY_KEY, { message: "$property must be 8 to 128 letters, digits or . _ : - (a UUID works)." })
  idempotencyKey!: string;
}
