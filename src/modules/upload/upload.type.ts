import { Directive, Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { UploadPurpose } from "../../generated/prisma/client.js";
import { cacheHint, catalogMaxAge } from "../../platform/cache/index.js";

registerEnumType(UploadPurpose, {
  name: "UploadPurpose",
  description: "What an upload is for; each purpose has its own size limit and accepted types.",
  valuesConfig: {
    PRODUCT_IMAGE: { description: "A product picture (attachProductImage). JPEG, PNG, WebP or AVIF, at most 5 MB." },
    AVATAR: { description: "The caller's own picture (setAvatar). JPEG, PNG, WebP or AVIF, at most 5 MB." },
  },
});

@ObjectType({ description: "An HTTP header to send with the upload's PUT." })
export class UploadHeader {
  @Field(() => String, { description: "Header name." })
  name!: string;

  @Field(() => String, { description: "Header value." })
  value!: string;
}

@Directive(cacheHint.private)
@ObjectType({
  description:
    "Where to send a file's bytes: PUT the raw file to `url` with exactly `headers`, before `expiresAt`; then pass `uploadId` to attachProductImage or setAvatar.",
})
export class UploadTarget {
  @Field(() => ID, { description: "Names the upload in attachProductImage or setAvatar." })
  uploadId!: string;

  @Field(() => String, { description: "The signed URL to PUT the file to (the body is the file itself, not a form)." })
  url!: string;

  @Field(() => String, { description: "Always PUT." })
  method!: string;

  @Field(() => [UploadHeader], { description: "Headers the PUT must carry (at least Content-Type)." })
  headers!: UploadHeader[];

  @Field(() => Date, { description: "The URL is refused after this instant." })
  expiresAt!: Date;
}

/** A product image row plus what `url` needs; built by the resolver from the database row. */
@Directive(cacheHint.publicFor(catalogMaxAge))
@ObjectType({ description: "A product picture: checked, stripped of metadata, with resized copies." })
export class ProductImage {
  @Field(() => ID, { description: "Stable unique id (removeProductImage takes it)." })
  id!: string;

  @Field(() => String, { description: "Text alternative for screen readers; empty when decorative." })
  alt!: string;

  @Field(() => Int, { description: "Width in pixels of the full-size picture." })
  width!: number;

  @Field(() => Int, { description: "Height in pixels of the full-size picture." })
  height!: number;

  @Field(() => Int, {
    description: "Sort position among the product's images, lowest first; ties in the order they were attached.",
  })
  position!: number;
}
