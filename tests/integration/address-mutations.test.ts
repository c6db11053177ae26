// The address book: owner-only writes, and exactly one default whenever the book is not empty.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../helpers/database.js";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { errorCode, mutate, problems } from "../helpers/mutations.js";

type AddressNode = {
  id: string;
  label: string | null;
  city: string;
  country: string;
  postalCode: string;
  isDefault: boolean;
};

const fields = "id label city country postalCode isDefault";
const createAddress = `mutation($input: CreateAddressInput!) {
  createAddress(input: $input) { address { ${fields} } userErrors { field code message } }
}`;
const updateAddress = `mutation($id: ID!, $input: UpdateAddressInput!) {
  updateAddress(id: $id, input: $input) { address { ${fields} } userErrors { field code message } }
}`;
const setDefault = `mutation($id: ID!) { setDefaultAddress(id: $id) { address { ${fields} } userErrors { field code message } } }`;
const deleteAddress = `mutation($id: ID!) { deleteAddress(id: $id) { deletedAddressId userErrors { field code message } } }`;

const home = {
  label: "Home",
  recipient: "Carol",
  line1: "1 Main St",
  city: "Springfield",
  postalCode: "12345",
  country: "us",
};

for (const backend of backends) {
  describe.skipIf(backend.skip)(`address mutations (${backend.name})`, () => {
    let gw: TestGateway;
    let carol: { id: string; role: "USER" };
    beforeAll(async () => {
      gw = await startTestGateway(backend.kind);
      const user = await gw.db.prisma.user.create({
        data: {
          email: `carol-${backend.kind}@example.com`,
          username: `carol_${backend.kind}`,
          name: "Carol",
          passwordHash: "x",
        },
      });
      carol = { id: user.id, role: "USER" };
    });
    afterAll(() => gw?.close());

    const book = () =>
      gw.db.prisma.address.findMany({ where: { userId: carol.id }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
    const defaults = async () => (await book()).filter((address) => address.isDefault).map((address) => address.id);
    const add = async (input: Record<string, unknown> = {}) => {
      const payload = await mutate<{ address: AddressNode }>(gw, createAddress, {
        as: carol,
        variables: { input: { ...home, ...input } },
      });
      expect(payload.userErrors).toEqual([]);
      return payload.address;
    };

    it("makes the first address the default and keeps exactly one default", async () => {
      const first = await add();
      expect(first).toMatchObject({ label: "Home", country: "US", isDefault: true });
      const second = await add({ label: "Work" });
      expect(second.isDefault).toBe(false);
      const third = await add({ label: "Cabin", isDefault: true });
      expect(third.isDefault).toBe(true);
      expect(await defaults()).toEqual([third.id]);

      const chosen = await mutate<{ address: AddressNode }>(gw, setDefault, {
        as: carol,
        variables: { id: second.id },
      });
      expect(chosen.address.isDefault).toBe(true);
      expect(await defaults()).toEqual([second.id]);

      // Deleting the default hands it to the oldest remaining address.
      const deleted = await mutate(gw, deleteAddress, { as: carol, variables: { id: second.id } });
      expect(deleted).toEqual({ deletedAddressId: second.id, userErrors: [] });
      expect(await defaults()).toEqual([first.id]);
    });

    it("validates every field", async () => {
      const payload = await mutate(gw, createAddress, {
        as: carol,
        variables: {
          input: {
            ...home,
            recipient: " ",
            line1: "x".repeat(201),
            postalCode: "#1",
            country: "XX",
            label: "y".repeat(51),
          },
        },
      });
      expect(problems(payload)).toEqual([
        "input.label: TOO_LONG",
        "input.recipient: REQUIRED",
        "input.line1: TOO_LONG",
        "input.postalCode: INVALID_FORMAT",
        "input.country: INVALID_FORMAT",
      ]);
      const address = (await book())[0];
      if (!address) throw new Error("no address");
      const nulls = await mutate(gw, updateAddress, {
        as: carol,
        variables: { id: address.id, input: { city: null, line2: null } },
      });
      expect(problems(nulls)).toEqual(["input.city: REQUIRED"]);
    });

    it("updates only the owner's addresses; nobody else's, admins included", async () => {
      const mine = await add({ label: "Mine" });
      const updated = await mutate<{ address: AddressNode }>(gw, updateAddress, {
        as: carol,
        variables: { id: mine.id, input: { city: "Shelbyville", label: null, postalCode: "sw1a 1aa" } },
      });
      expect(updated.address).toMatchObject({ city: "Shelbyville", label: null, postalCode: "SW1A 1AA" });

      const alices = await gw.db.prisma.address.findFirstOrThrow({ where: { userId: gw.users.alice.id } });
      for (const caller of [carol, gw.users.admin]) {
        const edit = await mutate(gw, updateAddress, {
          as: caller,
          variables: { id: alices.id, input: { city: "Nope" } },
        });
        expect(problems(edit)).toEqual(["id: NOT_FOUND"]);
        expect(problems(await mutate(gw, setDefault, { as: caller, variables: { id: alices.id } }))).toEqual([
          "id: NOT_FOUND",
        ]);
        expect(problems(await mutate(gw, deleteAddress, { as: caller, variables: { id: alices.id } }))).toEqual([
          "id: NOT_FOUND",
        ]);
      }
      expect(await gw.db.prisma.address.findUniqueOrThrow({ where: { id: alices.id } })).toEqual(alices);
      expect(await errorCode(gw, createAddress, { variables: { input: home } })).toBe("UNAUTHENTICATED");
    });

    it("caps the book at 20 addresses", async () => {
      const count = await gw.db.prisma.address.count({ where: { userId: carol.id } });
      await gw.db.prisma.address.createMany({
        data: Array.from({ length: 20 - count }, (_, i) => ({
          userId: carol.id,
          recipient: "Carol",
          line1: `${i} Filler Rd`,
          city: "Fill",
          postalCode: "11111",
          country: "US",
        })),
      });
      const payload = await mutate(gw, createAddress, { as: carol, variables: { input: home } });
      expect(problems(payload)).toEqual(["-: TOO_MANY"]);
    });

    it("keeps one default when setDefaultAddress races with itself", async () => {
      const ids = (await book()).slice(0, 10).map((address) => address.id);
      const results = await Promise.all(
        ids.map((id) => mutate<{ address: AddressNode }>(gw, setDefault, { as: carol, variables: { id } })),
      );
      expect(results.every((result) => result.userErrors.length === 0)).toBe(true);
      expect(await defaults()).toHaveLength(1);
    });
  });
}
