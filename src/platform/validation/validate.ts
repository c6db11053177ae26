import { type ValidationError, validate } from "class-validator";
import { type UserError, UserErrorCode, userError } from "./user-error.type.js";

// class-validator constraint names → our codes. Unlisted constraints are INVALID_FORMAT. Use MinLength and
// MaxLength rather than Length: Length's error does not say which bound failed.
const codeByConstraint: Record<string, UserErrorCode> = {
  isDefined: UserErrorCode.REQUIRED,
  isNotEmpty: UserErrorCode.REQUIRED,
  isNotBlank: UserErrorCode.REQUIRED,
  minLength: UserErrorCode.TOO_SHORT,
  maxLength: UserErrorCode.TOO_LONG,
  min: UserErrorCode.OUT_OF_RANGE,
  max: UserErrorCode.OUT_OF_RANGE,
  isPositive: UserErrorCode.OUT_OF_RANGE,
  arrayMaxSize: UserErrorCode.TOO_MANY,
  arrayMinSize: UserErrorCode.REQUIRED,
  arrayNotEmpty: UserErrorCode.REQUIRED,
};

/**
 * Validates an input object (an instance of a type-graphql input class carrying class-validator
 * decorators) and returns one UserError per failed field, with its path under `root`.
 */
export async function validateInput(input: object, root: string[] = ["input"]): Promise<UserError[]> {
  const errors = await validate(input, { forbidUnknownValues: true, validationError: { target: false } });
  return errors.flatMap((error) => toUserErrors(error, root));
}

function toUserErrors(error: ValidationError, parent: string[]): UserError[] {
  const path = [...parent, error.property];
  const own = Object.entries(error.constraints ?? {})
    .slice(0, 1) // one message per field is enough to act on
    .map(([constraint, message]) =>
      userError(path, codeByConstraint[constraint] ?? UserErrorCode.INVALID_FORMAT, message),
    );
  return [...own, ...(error.children ?? []).flatMap((child) => toUserErrors(child, path))];
}
