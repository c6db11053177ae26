import { IsDefined, Matches, ValidateBy, ValidateIf, type ValidationOptions } from "class-validator";
import { isId } from "../ids.js";
import { type UserError, UserErrorCode, userError } from "./user-error.type.js";

/** Lower-case words joined by single hyphens, as in URLs: `aurora-wireless-headphones`. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** An id this API issued (a UUID). Anything else can never name a row, so it is refused before any query. */
export function IsId(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    { name: "isId", validator: { validate: (value) => typeof value === "string" && isId(value) } },
    { message: "$property is not a valid id.", ...options },
  );
}

/** Text with something besides white space in it; reported as REQUIRED, like a missing value. */
export function IsNotBlank(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: "isNotBlank",
      validator: { validate: (value) => typeof value === "string" && value.trim().length > 0 },
    },
    { message: "$property must not be empty.", ...options },
  );
}

export function IsSlug(options?: ValidationOptions): PropertyDecorator {
  return Matches(SLUG_PATTERN, {
    message: "$property must be lower-case letters and digits separated by single hyphens, e.g. `blue-mug`.",
    ...options,
  });
}

/**
 * For update inputs: the field may be left out (keep the current value) but not set to null, because the
 * column cannot be empty. Null is reported as REQUIRED; other decorators check a value that is present.
 */
export function IsOmittable(): PropertyDecorator {
  return (target, property) => {
    ValidateIf((_object, value) => value !== undefined)(target, property);
    IsDefined({ message: "$property cannot be null: leave it out to keep the current value." })(target, property);
  };
}

/** For an `id` argument outside an input object: a malformed one as a UserError at `field`. */
export function validateId(value: string, field: string[] = ["id"]): UserError[] {
  return isId(value)
    ? []
    : [userError(field, UserErrorCode.INVALID_FORMAT, `\`${field.join(".")}\` is not a valid id.`)];
}
