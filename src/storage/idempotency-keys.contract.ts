import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { idempotencyKeyLifetimeMs } from "./idempotency-keys.js";
import type { Store } from "./store.js";

const live = { fingerprint: "fp-1", leaseMs: 60_000, lifetimeMs: idempotencyKeyLifetimeMs };
// A lease that ended before it began: its holder counts as gone at once, without waiting for a clock.
const lapsed = { ...live, leaseMs: -60_000 };
const answer = { status: 200, headers: { "content-type": "application/json" }, body: '{"id":"thread_1"}' };

/** What the idempotency middleware relies on from storage; SQLite and Postgres both run it. */
export function defineIdempotencyKeysContract(name: string, open: () => Promise<Store>): void {
  describe(`${name}: idempotency keys`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    it("gives a key to one holder; the others see it in progress, then its stored answer", async () => {
      const keys = store.idempotencyKeys;
      expect(await keys.claim("k", "a", live)).toEqual({ state: "claimed" });
      expect(await keys.claim("k", "b", { ...live, fingerprint: "fp-2" })).toEqual({ state: "in_progress", fingerprint: "fp-1" });
      expect(await keys.answer("k", "b", null, answer)).toBe(false);
      expect(await keys.answer("k", "a", null, answer)).toBe(true);
      expect(await keys.claim("k", "b", live)).toEqual({ state: "answered", fingerprint: "fp-1", answer });
      expect(await keys.renew("k", "a", 60_000)).toBe(false);
    });

    it("keeps the fingerprint known only at the answer, and an answer without a body", async () => {
      const keys = store.idempotencyKeys;
      await keys.claim("k", "a", { ...live, fingerprint: null });
      const stream = { status: 200, headers: { "content-type": "text/event-stream" }, body: null };
      await keys.answer("k", "a", "fp-late", stream);
      expect(await keys.claim("k", "b", live)).toEqual({ state: "answered", fingerprint: "fp-late", answer: stream });
    });

    it("lets a released key, or one whose holder died before its work took effect, be claimed again", async () => {
      const keys = store.idempotencyKeys;
      await keys.claim("released", "a", live);
      await keys.release("released", "a");
      expect(await keys.claim("released", "b", live)).toEqual({ state: "claimed" });

      await keys.claim("abandoned", "a", lapsed);
      expect(await keys.claim("abandoned", "b", live)).toEqual({ state: "claimed" });
      // The first holder finds out when it tries to record its work's effect, and rolls the work back.
      expect(await keys.recordEffect("abandoned", "a", null)).toBe(false);
      expect(await keys.renew("abandoned", "a", 60_000)).toBe(false);
    });

    it("never hands out a key whose work took effect: once its holder is gone it is lost, with where to read the result", async () => {
      const keys = store.idempotencyKeys;
      await keys.claim("k", "a", lapsed);
      await store.transaction(async (transaction) => {
        expect(await transaction.idempotencyKeys.recordEffect("k", "a", "/v1/threads/thread_1")).toBe(true);
        // A later transaction of the same request that names nothing keeps what the first one named.
        expect(await transaction.idempotencyKeys.recordEffect("k", "a", null)).toBe(true);
      });
      expect(await keys.claim("k", "b", live)).toEqual({ state: "lost", fingerprint: "fp-1", effectRef: "/v1/threads/thread_1" });
      await keys.release("k", "a");
      expect(await keys.claim("k", "b", live)).toMatchObject({ state: "lost" });
    });

    it("forgets an effect whose transaction rolled back", async () => {
      const keys = store.idempotencyKeys;
      await keys.claim("k", "a", lapsed);
      await expect(
        store.transaction(async (transaction) => {
          await transaction.idempotencyKeys.recordEffect("k", "a", "/v1/threads/thread_1");
          throw new Error("the work failed");
        }),
      ).rejects.toThrow("the work failed");
      expect(await keys.claim("k", "b", live)).toEqual({ state: "claimed" });
    });

    it("makes a takeover wait for a transaction that is recording its effect, then refuses it", async () => {
      const keys = store.idempotencyKeys;
      await keys.claim("k", "a", lapsed);
      let commit!: () => void;
      const committed = new Promise<void>((resolve) => (commit = resolve));
      let recorded!: () => void;
      const effectRecorded = new Promise<void>((resolve) => (recorded = resolve));
      const work = store.transaction(async (transaction) => {
        await transaction.idempotencyKeys.recordEffect("k", "a", null);
        recorded();
        await committed;
      });
      await effectRecorded;
      const takeover = keys.claim("k", "b", live);
      commit();
      await work;
      expect(await takeover).toMatchObject({ state: "lost" });
    });

    it("takes over and deletes keys past their lifetime", async () => {
      const keys = store.idempotencyKeys;
      await keys.claim("answered", "a", live);
      await keys.answer("answered", "a", null, answer);
      expect(await keys.claim("answered", "b", { ...live, lifetimeMs: -60_000 })).toEqual({ state: "claimed" });
      await keys.claim("other", "a", live);
      expect(await keys.deleteExpired(idempotencyKeyLifetimeMs)).toBe(0);
      expect(await keys.deleteExpired(-60_000)).toBe(2);
      expect(await keys.claim("other", "b", live)).toEqual({ state: "claimed" });
    });
  });
}
