/**
 * The refusals of a booking (预约) and of its check-in in plain words, for the phone page and the
 * kiosk: one table, so a citizen reads the same sentence for the same refusal wherever it happens.
 * The server's message is in English; the specifics a citizen needs come in the refusal's details
 * (until when a phone is blocked, when check-in opens, when a service opens) and are shown from
 * there, never guessed on the page.
 */
import type { Bilingual, HallError } from "../../protocol/index.js";

const PLAIN: Partial<Record<HallError["code"], Bilingual>> = {
  SLOT_FULL: { zh: "该时段已约满，请选择其他时段。", en: "This slot is fully booked. Please choose another one." },
  BOOKING_CLOSED: { zh: "该时段现在不能预约（尚未开放或即将开始），请选择其他时段。", en: "This slot cannot be booked now (not open yet or about to start). Please choose another one." },
  BOOKING_BLOCKED: { zh: "您的手机号因多次预约未到（失约），暂停预约。", en: "After missed bookings, this phone cannot book for a while." },
  DUPLICATE_BOOKING: { zh: "您当天已预约该事项，如需调整请改约或取消原预约。", en: "You already have a booking for this service that day. Move or cancel it instead." },
  UNKNOWN_BOOKING: { zh: "没有找到这个预约，请核对预约码。", en: "No booking with this code. Please check the code." },
  BOOKING_ENDED: { zh: "该预约已取消、已签到或已结束。", en: "This booking is no longer active (cancelled, checked in or over)." },
  CHECK_IN_TOO_EARLY: { zh: "还未到签到时间，请在预约时段开始前再来签到。", en: "Check-in has not opened yet. Please come back closer to your slot." },
  CHECK_IN_TOO_LATE: { zh: "已过签到时间，本次预约无法签到，请现场取号。", en: "The check-in time is over. Please take a ticket as a walk-in." },
  RECORDS_UNAVAILABLE: { zh: "本大厅暂未开通网上预约，请现场取号。", en: "This hall takes no bookings. Please take a ticket on site." },
  UNKNOWN_SERVICE: { zh: "没有这项事项，请重新选择。", en: "This service is not offered here. Please choose again." },
  UNKNOWN_HALL: { zh: "找不到这个大厅。", en: "This hall does not exist." },
  VALIDATION: { zh: "填写的内容不完整或格式不对，请检查姓名和手机号。", en: "Something is missing or in the wrong format. Please check the name and phone number." },
  RATE_LIMITED: { zh: "操作太频繁，请稍候再试。", en: "Too many tries. Please wait a moment and try again." },
  SERVICE_CLOSED: { zh: "该事项现在暂停办理。", en: "This service is closed just now." },
  QUOTA_EXHAUSTED: { zh: "该事项今日号源已发完。", en: "All of today's tickets for this service have been taken." },
  INTERNAL: { zh: "网络暂时不通，请稍后再试。", en: "The network is not responding. Please try again in a moment." },
};

const FALLBACK: Bilingual = { zh: "操作没有成功，请稍后再试或咨询工作人员。", en: "That did not go through. Please try again or ask the staff." };

/** A refusal of booking, moving, cancelling or checking in, in both languages. */
export function bookingRefusal(error: HallError): Bilingual {
  if (error.code === "BOOKING_BLOCKED" && error.details?.until) {
    const until = error.details.until;
    return { zh: `您的手机号因多次预约未到（失约），${until} 前暂停预约。`, en: `After missed bookings, this phone cannot book until ${until}.` };
  }
  if (error.code === "SERVICE_CLOSED" && error.details?.notice) {
    return { zh: `该业务${error.details.notice.zh}。`, en: `This service: ${error.details.notice.en}.` };
  }
  return PLAIN[error.code] ?? FALLBACK;
}

/** CHECK_IN_TOO_EARLY with the booking at hand: from when, for which slot. */
export function tooEarly(from: string, slot: string): Bilingual {
  return { zh: `还未到签到时间：请于 ${from} 后签到（预约时段 ${slot}）。`, en: `Check-in opens at ${from} (your slot is ${slot}).` };
}
