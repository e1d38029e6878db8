/**
 * The webhook outbox contract, on every database (SQLite, PostgreSQL): a delivery is kept with
 * the transaction that enqueued it, once per source and endpoint, in the hall's order; the sender
 * sees each endpoint's oldest pending one; a failed one can be resent.
 * Run it with `describeWebhookOutboxContract(name, open)`.
 */
import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { WebhookEventType } from "../protocol/index.js";
import type { RecordsStore, Runner } from "../server/records/records-store.js";
import type { WebhookOutbox } from "../server/records/webhook-outbox.js";
import { T0 } from "./store.contract.js";

const SECRET = "a-receivers-secret-0123456789";
const A = "http://127.0.0.1:9/a";
const B = "http://127.0.0.1:9/b";

/** The records, and a runner for plans of their own transactions (as another part of the records runs them). */
export interface OpenedRecords {
  records: RecordsStore;
  run: Runner;
  close(): Promise<void>;
}

export function describeWebhookOutboxContract(name: string, open: () => Promise<OpenedRecords>): void {
  describe(`the webhook outbox on ${name}`, () => {
    let opened: OpenedRecords;
    let outbox: WebhookOutbox;
    let hallId: string;

    beforeEach(async () => {
      opened = await open();
      outbox = opened.records.webhooks;
      hallId = `wh-${randomBytes(4).toString("hex")}`;
      outbox.configure(hallId, [
        { url: A, events: ["case.updated", "followUp.updated"], secret: SECRET },
        { url: B, events: ["case.updated"], secret: SECRET },
      ]);
    });
    afterEach(async () => {
      await opened.close();
    });

    const enqueue = (type: WebhookEventType, source?: string, at = T0) => opened.run(outbox.enqueueWebhook(hallId, type, { n: source ?? null }, at, source));
    const ids = async (state: "pending" | "failed" = "pending", url?: string) => (await outbox.list(hallId, state)).filter((d) => !url || d.url === url).map((d) => d.body.data.n);

    it("a delivery enqueued in a transaction that rolls back is not kept", async () => {
      await expect(
        opened.run(
          (function* () {
            yield* outbox.enqueueWebhook(hallId, "case.updated", { n: "x" }, T0, "x");
            throw new Error("the change was refused");
          })(),
        ),
      ).rejects.toThrow(/refused/);
      expect(await outbox.list(hallId, "pending")).toEqual([]);
    });

    it("each endpoint that takes the type gets one delivery of a source, with an id of its own; the same source again adds none", async () => {
      expect(await enqueue("case.updated", "c1")).toBe(2);
      expect(await enqueue("case.updated", "c1")).toBe(0);
      expect(await enqueue("followUp.updated", "f1")).toBe(1);
      const all = await outbox.list(hallId, "pending");
      expect(all.map((d) => [d.url, d.body.data.n])).toEqual([
        [A, "c1"],
        [B, "c1"],
        [A, "f1"],
      ]);
      expect(new Set(all.map((d) => d.id)).size).toBe(3);
    });

    it("the sender sees each endpoint's oldest pending delivery only, the next once it is delivered or failed", async () => {
      for (const s of ["1", "2", "3"]) await enqueue("case.updated", s);
      const heads = async () => (await outbox.heads(hallId)).map((h) => [h.url, (JSON.parse(h.body) as { data: { n: string } }).data.n]).sort();
      expect(await heads()).toEqual([
        [A, "1"],
        [B, "1"],
      ]);
      const [a1] = (await outbox.heads(hallId)).filter((h) => h.url === A);
      await outbox.settle(a1!, { delivered: true }, T0, null, null);
      const [b1] = (await outbox.heads(hallId)).filter((h) => h.url === B);
      await outbox.settle(b1!, { delivered: false, status: 500, error: "HTTP 500" }, T0, null, T0);
      expect(await heads()).toEqual([
        [A, "2"],
        [B, "2"],
      ]);
      expect(await ids("failed")).toEqual(["1"]);
    });

    it("a failed delivery resent is pending again, first of its endpoint; an unknown or pending one is not resent", async () => {
      await enqueue("followUp.updated", "1");
      await enqueue("followUp.updated", "2");
      const [first] = await outbox.heads(hallId);
      await outbox.settle(first!, { delivered: false, status: null, error: "refused" }, T0, null, T0);
      expect(await outbox.resend(hallId, "nope", T0)).toEqual({ ok: false, reason: "unknown" });
      const second = (await outbox.list(hallId, "pending"))[0]!;
      expect(await outbox.resend(hallId, second.id, T0)).toEqual({ ok: false, reason: "notFailed" });
      const resent = await outbox.resend(hallId, first!.id, T0 + 1_000);
      expect(resent).toMatchObject({ ok: true, delivery: { id: first!.id, state: "pending", attempts: 0, nextAt: T0 + 1_000, expiresAt: null } });
      expect((await outbox.heads(hallId)).map((h) => h.id)).toEqual([first!.id]);
    });

    it("transactions enqueueing at once each get their place: none lost, none sharing one", async () => {
      const sources = Array.from({ length: 12 }, (_, i) => `s${i}`);
      await Promise.all(sources.map((s) => enqueue("followUp.updated", s)));
      const kept = await outbox.list(hallId, "pending");
      expect(kept.map((d) => d.body.data.n).sort()).toEqual([...sources].sort());
    });
  });
}
