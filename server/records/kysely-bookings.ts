/**
 * The bookings (预约) on Kysely, for SQLite and PostgreSQL (BookingStore, bookings.ts).
 *
 * A booking or a move is one plan (records-store.ts): read the load, ask the domain's decision,
 * write, in one transaction. On SQLite it runs synchronously (the file may be the embedded store's
 * shared connection) under BEGIN IMMEDIATE, so writers take turns. On PostgreSQL it first takes an
 * advisory lock on the (hall, service, date) it books into: every change that could take a seat of
 * that day waits for the one before to commit and counts it. Ten citizens racing for a slot's
 * last two seats get two bookings and eight SLOT_FULL.
 *
 * Phones are kept with a keyed hash (HMAC-SHA256), which DUPLICATE_BOOKING and the credit rule ask
 * and which outlives the number (the retention rule erases that). Keyed, because a plain hash of
 * an 11-digit mobile number is no secret: hashing all 10^10 of them takes minutes. The key is the
 * server's PHONE_KEY, else one made at random once per database and kept in records_secrets, so
 * every node on one PostgreSQL hashes alike. Set PHONE_KEY before the first booking or never:
 * another key makes past bookings another phone's.
 */
import { createHmac, randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import { HallCallError, type ErrorCode } from "../../protocol/index.js";
import { holdsSeat, LIVE_BOOKING_STATES, MISSED_BOOKING_STATES, type BookingLoad } from "../domain/booking.js";
import type { Booking, BookingStore, DecideBooking, NewBooking, SlotChoice } from "./bookings.js";
import { query, serialize, type Plan, type RecordsParts } from "./records-store.js";
import type { BookingsTable, RecordsDatabase } from "./schema.js";
import { settleBooking } from "./ticket-row.js";
import { BOOKING_CODE_ALPHABET } from "../../protocol/index.js";

export interface KyselyBookingsOptions extends RecordsParts {
  /** The phone hash's key (PHONE_KEY); without it, the database's own. */
  phoneKey?: string;
}

const refuse = (code: ErrorCode, message?: string): never => {
  throw new HallCallError(code, message);
};

/**
 * 16 characters of the protocol's BOOKING_CODE_ALPHABET (31 letters and digits without 0/O, 1/I/L,
 * which a citizen mistypes at a kiosk), about 79 random bits: the citizen's credential.
 */
export function newBookingCode(length = 16): string {
  const n = BOOKING_CODE_ALPHABET.length;
  const below = 256 - (256 % n);
  let code = "";
  while (code.length < length) {
    // Bytes at or above the last whole multiple of the alphabet are dropped, so every character is equally likely.
    for (const b of randomBytes(length)) if (b < below && code.length < length) code += BOOKING_CODE_ALPHABET[b % n];
  }
  return code;
}

/** The booking's public id, drawn apart from its code: knowing one tells nothing of the other. */
const newBookingId = (): string => randomBytes(16).toString("hex");

export const phoneKeyOf = (phone: string, key: string): string => createHmac("sha256", key).update(phone).digest("hex");

export const toBooking = (r: BookingsTable): Booking => ({
  id: r.id,
  code: r.code,
  hallId: r.hall_id,
  serviceId: r.service_id,
  date: r.date,
  slot: r.slot,
  slotStart: Number(r.slot_start),
  name: r.name,
  phone: r.phone,
  phoneKey: r.phone_key,
  state: r.state,
  ticketId: r.ticket_id,
  ticketNumber: r.ticket_number,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

const SECRET_NAME = "phoneKey";

export class KyselyBookings implements BookingStore {
  private key: Promise<string> | null = null;

  constructor(private readonly opts: KyselyBookingsOptions) {}

  async book(input: NewBooking, missesSince: string, decide: DecideBooking): Promise<Booking> {
    await this.opts.ready();
    const phoneKey = phoneKeyOf(input.phone, await this.phoneKey());
    const { db: q, kind } = this.opts;
    return this.opts.run(
      (function* (): Plan<Booking> {
        yield* serialize(q, kind, dayKey(input.hallId, input.serviceId, input.date));
        decide(yield* loadOf(q, input.hallId, input.serviceId, input, phoneKey, missesSince, null));
        const row: BookingsTable = {
          id: newBookingId(),
          code: newBookingCode(),
          hall_id: input.hallId,
          service_id: input.serviceId,
          date: input.date,
          slot: input.slot,
          slot_start: input.slotStart,
          name: input.name,
          phone: input.phone,
          phone_key: phoneKey,
          state: "booked",
          ticket_id: null,
          ticket_number: null,
          created_at: input.now,
          updated_at: input.now,
        };
        yield q.insertInto("records_bookings").values(row).compile();
        return toBooking(row);
      })(),
    );
  }

  async get(hallId: string, code: string): Promise<Booking | null> {
    await this.opts.ready();
    const row = await this.opts.db.selectFrom("records_bookings").selectAll().where("hall_id", "=", hallId).where("code", "=", code).executeTakeFirst();
    return row ? toBooking(row) : null;
  }

  async reschedule(hallId: string, code: string, to: SlotChoice, missesSince: string, now: number, decide: DecideBooking): Promise<Booking> {
    await this.opts.ready();
    const { db: q, kind } = this.opts;
    return this.opts.run(
      (function* (): Plan<Booking> {
        const b = yield* find(q, hallId, code);
        if (b.state !== "booked") refuse("BOOKING_ENDED", `This booking is ${b.state}; only a booking not yet checked in can be moved.`);
        yield* serialize(q, kind, dayKey(hallId, b.service_id, to.date));
        decide(yield* loadOf(q, hallId, b.service_id, to, b.phone_key, missesSince, b.id));
        // Still booked: on PostgreSQL a cancel may have committed since it was read.
        const [moved] = yield* query(
          q
            .updateTable("records_bookings")
            .set({ date: to.date, slot: to.slot, slot_start: to.slotStart, updated_at: now })
            .where("id", "=", b.id)
            .where("state", "=", "booked")
            .returningAll(),
        );
        return toBooking(moved ?? refuse("BOOKING_ENDED"));
      })(),
    );
  }

  async cancel(hallId: string, code: string, now: number): Promise<Booking> {
    await this.opts.ready();
    const { changed, row } = await this.opts.run(fromBooked(this.opts.db, hallId, code, { state: "cancelled", updated_at: now }));
    if (!changed) refuse("BOOKING_ENDED", `This booking is ${row.state} already.`);
    return toBooking(row);
  }

  async checkedIn(hallId: string, code: string, ticket: { id: string; number: string }, now: number): Promise<Booking> {
    await this.opts.ready();
    const { changed, row } = await this.opts.run(
      fromBooked(this.opts.db, hallId, code, { state: "checkedIn", ticket_id: ticket.id, ticket_number: ticket.number, updated_at: now }),
    );
    const repeat = row.state === "checkedIn" && row.ticket_id === ticket.id;
    if (!changed && !repeat) refuse("BOOKING_ENDED", `This booking is ${row.state} already.`);
    return toBooking(row);
  }

  async settle(hallId: string, bookingId: string, outcome: "served" | "noShow", now: number): Promise<void> {
    await this.opts.ready();
    await settleBooking(this.opts.db, hallId, bookingId, outcome, now).execute();
  }

  async markMissed(hallId: string, cutoff: { slotStartBefore?: number; dateBefore?: string }, now: number): Promise<number> {
    const { slotStartBefore, dateBefore } = cutoff;
    if (slotStartBefore === undefined && dateBefore === undefined) return 0;
    await this.opts.ready();
    const result = await this.opts.db
      .updateTable("records_bookings")
      .set({ state: "missed", updated_at: now })
      .where("hall_id", "=", hallId)
      .where("state", "=", "booked")
      .where((eb) =>
        eb.or([
          ...(slotStartBefore !== undefined ? [eb("slot_start", "<", slotStartBefore)] : []),
          ...(dateBefore !== undefined ? [eb("date", "<", dateBefore)] : []),
        ]),
      )
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async day(hallId: string, date: string): Promise<Booking[]> {
    await this.opts.ready();
    const rows = await this.opts.db
      .selectFrom("records_bookings")
      .selectAll()
      .where("hall_id", "=", hallId)
      .where("date", "=", date)
      .orderBy("slot")
      .orderBy("created_at")
      .orderBy("id")
      .execute();
    return rows.map(toBooking);
  }

  async erasePersonal(hallId: string, before: string): Promise<number> {
    await this.opts.ready();
    const result = await this.opts.db
      .updateTable("records_bookings")
      .set({ name: null, phone: null })
      .where("hall_id", "=", hallId)
      .where("date", "<", before)
      .where((eb) => eb.or([eb("name", "is not", null), eb("phone", "is not", null)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** The HMAC key: the configured one, else the database's (made by the first node to ask). */
  private phoneKey(): Promise<string> {
    const { phoneKey, db } = this.opts;
    if (phoneKey !== undefined) return Promise.resolve(phoneKey);
    this.key ??= (async () => {
      await db
        .insertInto("records_secrets")
        .values({ name: SECRET_NAME, value: randomBytes(32).toString("hex") })
        .onConflict((oc) => oc.column("name").doNothing())
        .execute();
      const row = await db.selectFrom("records_secrets").select("value").where("name", "=", SECRET_NAME).executeTakeFirstOrThrow();
      return row.value;
    })().catch((err: unknown) => {
      this.key = null;
      throw err;
    });
    return this.key;
  }
}

/** The name the changes of a service's day take turns on (records-store.ts serialize). */
const dayKey = (hallId: string, serviceId: string, date: string) => `bookings\n${hallId}\n${serviceId}\n${date}`;

/** What the decision needs to know of a slot: the bookings that take a seat (domain `holdsSeat`), `except` the one being moved. */
function* loadOf(
  q: Kysely<RecordsDatabase>,
  hallId: string,
  serviceId: string,
  at: { date: string; slot: string },
  phoneKey: string,
  missesSince: string,
  except: string | null,
): Plan<BookingLoad> {
  const rows = yield* query(
    q
      .selectFrom("records_bookings")
      .select(["slot", "state", "phone_key"])
      .where("hall_id", "=", hallId)
      .where("service_id", "=", serviceId)
      .where("date", "=", at.date)
      .$if(except !== null, (qb) => qb.where("id", "!=", except!)),
  );
  const taken = rows.filter((b) => holdsSeat(b.state));
  const missed = yield* query(
    q.selectFrom("records_bookings").select("date").where("hall_id", "=", hallId).where("phone_key", "=", phoneKey).where("state", "in", MISSED_BOOKING_STATES).where("date", ">=", missesSince),
  );
  return {
    inSlot: taken.filter((b) => b.slot === at.slot).length,
    onDate: taken.length,
    phoneHasOne: taken.some((b) => b.phone_key === phoneKey && LIVE_BOOKING_STATES.includes(b.state)),
    misses: missed.map((b) => b.date),
  };
}

/** The hall's booking by its code; a code of another hall is as unknown as a made-up one. */
function* find(q: Kysely<RecordsDatabase>, hallId: string, code: string): Plan<BookingsTable> {
  const [row] = yield* query(q.selectFrom("records_bookings").selectAll().where("hall_id", "=", hallId).where("code", "=", code));
  return row ?? refuse("UNKNOWN_BOOKING", "No such booking in this hall.");
}

/** A booked booking changed by `set` (changed), or as it is when it is booked no more. */
function* fromBooked(q: Kysely<RecordsDatabase>, hallId: string, code: string, set: Partial<BookingsTable>): Plan<{ changed: boolean; row: BookingsTable }> {
  const [changed] = yield* query(
    q.updateTable("records_bookings").set(set).where("hall_id", "=", hallId).where("code", "=", code).where("state", "=", "booked").returningAll(),
  );
  return changed ? { changed: true, row: changed } : { changed: false, row: yield* find(q, hallId, code) };
}
