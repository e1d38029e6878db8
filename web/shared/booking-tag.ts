/**
 * How staff pages mark a checked-in booking (channel "appointment"): 预约 with its slot, and
 * 预约·迟到 when it checked in after its slot's late minutes (it queues from its check-in then).
 */
import type { Bilingual, Ticket } from "../../protocol/index.js";

export function bookingTag(t: Pick<Ticket, "appointment">): Bilingual | null {
  const a = t.appointment;
  if (!a) return null;
  return a.onTime ? { zh: `预约 ${a.slot}`, en: `Booked ${a.slot}` } : { zh: `预约·迟到 ${a.slot}`, en: `Booked · late ${a.slot}` };
}
