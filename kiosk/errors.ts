import { bookingRefusal } from "../web/shared/booking-errors.js";
import type { Bilingual, HallError } from "../protocol/index.js";

/** Plain words for a citizen at the kiosk; the server's own message is for staff and logs. */
const PLAIN: Partial<Record<HallError["code"], Bilingual>> = {
  QUOTA_EXHAUSTED: { zh: "该业务今日号源已发完，请明天再来或咨询工作人员。", en: "All of today's tickets for this service have been taken. Please come back tomorrow or ask the staff." },
  SERVICE_CLOSED: { zh: "该业务现在暂停取号。", en: "This service is not taking tickets now." },
  UNKNOWN_SERVICE: { zh: "没有这项业务，请咨询工作人员。", en: "This service is not offered here. Please ask the staff." },
  UNKNOWN_PRIORITY: { zh: "请重新选择。", en: "Please choose again." },
  INTERNAL: { zh: "网络暂时不通，请稍后再试，或咨询工作人员。", en: "The network is not responding. Please try again in a moment or ask the staff." },
};

/** A check-in's refusals are the booking's: the same sentence as on the phone (web/shared/booking-errors.ts). */
const BOOKING: ReadonlySet<HallError["code"]> = new Set(["UNKNOWN_BOOKING", "BOOKING_ENDED", "CHECK_IN_TOO_EARLY", "CHECK_IN_TOO_LATE", "RECORDS_UNAVAILABLE", "VALIDATION"]);

export function plainError(error: HallError): Bilingual {
  // Closed: the server's notice says when it opens ("暂停取号，周六 09:00 开始办理").
  if (error.code === "SERVICE_CLOSED" && error.details?.notice) return bookingRefusal(error);
  if (BOOKING.has(error.code)) return bookingRefusal(error);
  return PLAIN[error.code] ?? { zh: "取号没有成功，请咨询工作人员。", en: "The ticket could not be issued. Please ask the staff." };
}
