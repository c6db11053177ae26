import type { RequestContext } from "../../context.js";
import type { Address } from "../../generated/prisma/client.js";
import type { Viewer } from "../../platform/auth/tokens.js";
import { type Db, inTransaction, lockForTransaction } from "../../platform/db/transaction.js";
import { parseId } from "../../platform/ids.js";
import { failWith, reject, settle, UserErrorCode, validateId, validateInput } from "../../platform/validation/index.js";
import type { CreateAddressInput, UpdateAddressInput } from "./address.input.js";
import type { AddressPayload, DeleteAddressPayload } from "./address.payload.js";
import { type AddressFields, addressRepository } from "./address.repository.js";

/** `User.addresses` is a plain list, so the book is bounded. */
export const MAX_ADDRESSES = 20;

/** One address by id, for its owner and admins only; anyone else gets null, as if there were none. */
export async function findAddress(ctx: RequestContext, id: string) {
  const address = await ctx.loaders.address.byId.load(parseId(id, "id"));
  if (!address || !ctx.viewer) return null;
  return address.userId === ctx.viewer.id || ctx.viewer.role === "ADMIN" ? address : null;
}

/** Who may read the book is decided by the field's permission rule (the owner or an admin). */
export function userAddresses(ctx: RequestContext, userId: string) {
  return ctx.loaders.address.byUserId.load(userId);
}

const failed = failWith<AddressPayload>({ address: null });

function noSuchAddress(): never {
  reject(["id"], UserErrorCode.NOT_FOUND, "There is no address of yours with this id.");
}

/**
 * Writes that decide which address is the default (or how many there are) take turns per user: two at
 * once could each clear the old default and set their own, leaving two defaults, or both pass the size
 * check. A row lock cannot cover this (the competing row may not exist yet), so it is an advisory lock.
 */
const lockBook = (tx: Db, userId: string) => lockForTransaction(tx, `address-book:${userId}`);

/** The book's order and default may have changed: reload it if anything in this response asks. */
function forgetBook(ctx: RequestContext, userId: string) {
  ctx.loaders.address.byUserId.clear(userId);
}

function clean<Value extends string | null | undefined>(value: Value): Value {
  return (typeof value === "string" ? value.trim() : value) as Value;
}

function fieldsOf(input: CreateAddressInput | UpdateAddressInput): Partial<AddressFields> {
  // Field by field, never the input itself: only address lines can be written, never the owner.
  return {
    label: clean(input.label),
    recipient: clean(input.recipient),
    line1: clean(input.line1),
    line2: clean(input.line2),
    city: clean(input.city),
    region: clean(input.region),
    postalCode: clean(input.postalCode)?.toUpperCase(),
    country: input.country?.toUpperCase(),
  };
}

export async function createAddress(
  ctx: RequestContext,
  viewer: Viewer,
  input: CreateAddressInput,
): Promise<AddressPayload> {
  const invalid = await validateInput(input);
  if (invalid.length > 0) return failed(invalid);
  return settle(async () => {
    const address = await inTransaction(ctx.prisma, async (tx) => {
      const addresses = addressRepository(tx);
      await lockBook(tx, viewer.id);
      const count = await addresses.countOwn(viewer.id);
      if (count >= MAX_ADDRESSES) {
        reject(
          null,
          UserErrorCode.TOO_MANY,
          `An address book holds at most ${MAX_ADDRESSES} addresses: delete one first.`,
        );
      }
      const isDefault = count === 0 || input.isDefault === true;
      if (isDefault) await addresses.clearDefault(viewer.id);
      return addresses.create(viewer.id, fieldsOf(input) as AddressFields, isDefault);
    });
    forgetBook(ctx, viewer.id);
    return { address, userErrors: [] };
  }, failed);
}

export async function updateAddress(
  ctx: RequestContext,
  viewer: Viewer,
  id: string,
  input: UpdateAddressInput,
): Promise<AddressPayload> {
  const invalid = [...validateId(id), ...(await validateInput(input))];
  if (invalid.length > 0) return failed(invalid);
  return settle(async () => {
    // One statement, owner in the `where`; the default flag is not touched, so no lock is needed.
    const address = await addressRepository(ctx.prisma).update(viewer.id, id, fieldsOf(input));
    if (!address) noSuchAddress();
    forgetBook(ctx, viewer.id);
    return { address, userErrors: [] };
  }, failed);
}

export async function setDefaultAddress(ctx: RequestContext, viewer: Viewer, id: string): Promise<AddressPayload> {
  const invalid = validateId(id);
  if (invalid.length > 0) return failed(invalid);
  return settle(async () => {
    const address = await inTransaction(ctx.prisma, async (tx) => {
      const addresses = addressRepository(tx);
      await lockBook(tx, viewer.id);
      if (!(await addresses.findOwn(viewer.id, id))) noSuchAddress();
      await addresses.clearDefault(viewer.id);
      return (await addresses.makeDefault(viewer.id, id)) as Address;
    });
    forgetBook(ctx, viewer.id);
    return { address, userErrors: [] };
  }, failed);
}

/** Deleting the default hands the role to the oldest remaining address, so a non-empty book always has one. */
export async function deleteAddress(ctx: RequestContext, viewer: Viewer, id: string): Promise<DeleteAddressPayload> {
  const failedDelete = failWith<DeleteAddressPayload>({ deletedAddressId: null });
  const invalid = validateId(id);
  if (invalid.length > 0) return failedDelete(invalid);
  return settle(async () => {
    const deleted = await inTransaction(ctx.prisma, async (tx) => {
      const addresses = addressRepository(tx);
      await lockBook(tx, viewer.id);
      const row = await addresses.delete(viewer.id, id);
      if (!row) noSuchAddress();
      if (row.isDefault) await addresses.promoteOldest(viewer.id);
      return row;
    });
    forgetBook(ctx, viewer.id);
    return { deletedAddressId: deleted.id, userErrors: [] };
  }, failedDelete);
}
