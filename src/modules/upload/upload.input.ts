import { IsEnum, IsInt, IsOptional, Matches, Max, MaxLength, Min } from "class-validator";
import { Field, ID, InputType, Int } from "type-graphql";
import { UploadPurpose } from "../../generated/prisma/client.js";
import { IsId, IsOmittable } from "../../platform/validation/index.js";

export const ALT_MAX = 300;
export const POSITION_MAX = 1_000;

@InputType({ description: "The file about to be uploaded, as the client sees it." })
export class CreateUploadInput {
  @Field(() => UploadPurpose, { description: "What the file is for; decides the limits." })
  @IsEnum(UploadPurpose)
  purpose!: UploadPurpose;

  @Field(() => String, {
    description: "MIME type of the file: image/jpeg, image/png, image/webp or image/avif. Checked against the bytes.",
  })
  @MaxLength(100)
  contentType!: string;

  @Field(() => Int, { description: "Exact size in bytes (at most 5 MB, 5,242,880)." })
  @IsInt()
  @Min(1)
  byteSize!: number;

  @Field(() => String, {
    description:
      "SHA-256 of the file, base64 (44 characters, as S3's x-amz-checksum-sha256); the upload refuses other bytes.",
  })
  @Matches(/^[A-Za-z0-9+/]{43}=$/, { message: "$property must be a SHA-256 digest in base64 (44 characters)." })
  checksum!: string;
}

@InputType({ description: "An uploaded picture to add to a product. ADMIN only." })
export class AttachProductImageInput {
  @Field(() => ID, { description: "The product." })
  @IsId()
  productId!: string;

  @Field(() => ID, { description: "From createUpload (purpose PRODUCT_IMAGE), after the PUT succeeded." })
  @IsId()
  uploadId!: string;

  @Field(() => Int, {
    nullable: true,
    description: `Sort position, 0 to ${POSITION_MAX}; default after the last image.`,
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(POSITION_MAX)
  position?: number | null;

  @Field(() => String, {
    nullable: true,
    description: `Text alternative, at most ${ALT_MAX} characters. Default empty.`,
  })
  @IsOptional()
  @MaxLength(ALT_MAX)
  alt?: string | null;
}

@InputType({ description: "Changes to a product image; fields left out keep their value. ADMIN only." })
export class UpdateProductImageInput {
  @Field(() => Int, { nullable: true, description: `New sort position, 0 to ${POSITION_MAX} (reordering).` })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(POSITION_MAX)
  position?: number;

  @Field(() => String, { nullable: true, description: `New text alternative, at most ${ALT_MAX} characters.` })
  @IsOmittable()
  @MaxLength(ALT_MAX)
  alt?: string;
}
