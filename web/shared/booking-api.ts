/**
 * The booking page's calls to the server, and the kiosk's look-up of a booking (REST under
 * /api/halls/:hallId/appointments). Every answer is read as an Ack: the data checked against the
 * protocol's schema, or the server's refusal; a network failure or an answer of the wrong shape
 * is INTERNAL, so a page has one way to say what went wrong.
 */
import { z } from "zod";
import { newCommandId } from "../../protocol/command-retry.js";
import { Bilingual, BookableService, BookingDate, BookingView, CheckInResponse, SlotsResponse, isErrorCode, type Ack, type BookableServices, type BookingRequest, type HallError } from "../../protocol/index.js";

export type Bookable = BookableServices;
export type { BookableService };

/** Reads the services list item by item: one entry the page cannot read does not hide the others. */
function readBookable(body: unknown): Bookable | null {
  if (typeof body !== "object" || body === null) return null;
  const { services, dates } = body as { services?: unknown; dates?: unknown };
  if (!Array.isArray(services)) return null;
  return {
    services: services.flatMap((s) => {
      const r = BookableService.safeParse(s);
      return r.success ? [r.data] : [];
    }),
    dates: Array.isArray(dates) ? dates.filter((d): d is string => BookingDate.safeParse(d).success) : [],
  };
}

const failed = (message: string): Ack<never> => ({ ok: false, error: { code: "INTERNAL", message } });

/** The refusal in an error answer's body, or what its status says when the body has none. */
function refusal(status: number, body: unknown): HallError {
  const e = (body as { error?: { code?: unknown; message?: unknown; details?: HallError["details"] } } | null)?.error;
  if (e && isErrorCode(e.code)) return { code: e.code, message: typeof e.message === "string" ? e.message : "", ...(e.details ? { details: e.details } : {}) };
  if (status === 429) return { code: "RATE_LIMITED", message: "Too many requests." };
  if (status === 404) return { code: "NOT_FOUND", message: "No such route." };
  return { code: "INTERNAL", message: `HTTP ${status}` };
}

async function request<T>(method: string, url: string, read: (body: unknown) => T | null, body?: unknown): Promise<Ack<T>> {
  let res: Response;
  try {
    res = await fetch(url, { method, headers: body === undefined ? {} : { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (err) {
    return failed(err instanceof Error ? err.message : "network");
  }
  const json: unknown = await res.json().catch(() => null);
  if (!res.ok) return { ok: false, error: refusal(res.status, json) };
  const data = read(json);
  return data === null ? failed("The server's answer could not be read.") : { ok: true, data };
}

const schema =
  <T>(s: z.ZodType<T>) =>
  (body: unknown): T | null => {
    const r = s.safeParse(body);
    return r.success ? r.data : null;
  };

const base = (hallId: string) => `/api/halls/${encodeURIComponent(hallId)}/appointments`;
const one = (hallId: string, code: string) => `${base(hallId)}/${encodeURIComponent(code)}`;

/** The hall's name and zone (the booking's times are shown in the hall's zone). */
export interface HallNames {
  id: string;
  name: Bilingual;
  timezone: string;
}

/** The hall named in the page's address, else the first hall the server lists. */
export async function hallNames(hallId: string): Promise<Ack<HallNames>> {
  let id = hallId;
  if (!id) {
    const list = await request("GET", "/api/halls", (b) => ((b as { halls?: { id?: unknown }[] } | null)?.halls?.[0]?.id as string | undefined) ?? null);
    if (!list.ok) return list;
    id = list.data;
  }
  const HallInfo = z.object({ id: z.string(), name: Bilingual, timezone: z.string() });
  return request("GET", `/api/halls/${encodeURIComponent(id)}/info`, schema(HallInfo));
}

export const bookable = (hallId: string) => request("GET", `${base(hallId)}/services`, readBookable);

export const slots = (hallId: string, serviceId: string, date: string) => request("GET", `${base(hallId)}/slots?${new URLSearchParams({ serviceId, date })}`, schema(SlotsResponse));

export const book = (hallId: string, req: BookingRequest) => request("POST", base(hallId), schema(BookingView), req);

export const booking = (hallId: string, code: string) => request("GET", one(hallId, code), schema(BookingView));

export const cancel = (hallId: string, code: string) => request("DELETE", one(hallId, code), schema(BookingView));

/** Check in from the phone: the server makes one ticket per booking, so pressing again answers the same one. */
export const checkIn = (hallId: string, code: string) => request("POST", `${one(hallId, code)}/check-in`, schema(CheckInResponse), { commandId: newCommandId() });

export const reschedule = (hallId: string, code: string, to: { date: string; slot: string }) => request("POST", `${one(hallId, code)}/reschedule`, schema(BookingView), to);
