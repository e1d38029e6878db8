/** How the booking page writes dates, slots and a booking's state: formatting only, in the hall's zone. */
import { WEEKDAY_NAMES, type Bilingual, type BookingState, type Weekday } from "../protocol/index.js";

export const STATE_NAMES: Record<BookingState, Bilingual> = {
  booked: { zh: "待签到", en: "Booked" },
  checkedIn: { zh: "已签到", en: "Checked in" },
  served: { zh: "已办结", en: "Served" },
  noShow: { zh: "已过号", en: "Missed the call" },
  cancelled: { zh: "已取消", en: "Cancelled" },
  missed: { zh: "已失约", en: "Missed" },
};

/** By getUTCDay(): Sunday first. */
const WEEKDAYS: Bilingual[] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"].map((d) => WEEKDAY_NAMES[d as Weekday]);
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Today's date "YYYY-MM-DD" in the hall's zone. */
export const hallToday = (timezone: string, now = Date.now()): string =>
  new Intl.DateTimeFormat("sv-SE", { timeZone: timezone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);

/** "12月5日 周六" / "Sat 5 Dec" for a "YYYY-MM-DD". */
export function dayText(date: string): Bilingual {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const wd = WEEKDAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()]!;
  return { zh: `${m}月${d}日 ${wd.zh}`, en: `${wd.en} ${d} ${MONTHS[m - 1]}` };
}

/** The date chip's first line: 今天, 明天 or the weekday. */
export function dayName(date: string, today: string): Bilingual {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const [ty, tm, td] = today.split("-").map(Number) as [number, number, number];
  const ahead = Math.round((Date.UTC(y, m - 1, d) - Date.UTC(ty, tm - 1, td)) / 86_400_000);
  if (ahead === 0) return { zh: "今天", en: "Today" };
  if (ahead === 1) return { zh: "明天", en: "Tomorrow" };
  return WEEKDAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()]!;
}

/** "12/5" / "5 Dec": the date chip's second line. */
export function shortDate(date: string): Bilingual {
  const [, m, d] = date.split("-").map(Number) as [number, number, number];
  return { zh: `${m}月${d}日`, en: `${d} ${MONTHS[m - 1]}` };
}

/** "10:00–10:30": a slot and its end, when the slot's length is known. */
export function slotSpan(slot: string, slotMin: number | null): string {
  if (!slotMin) return slot;
  const start = Number(slot.slice(0, 2)) * 60 + Number(slot.slice(3, 5));
  const end = (start + slotMin) % (24 * 60);
  return `${slot}–${String(Math.floor(end / 60)).padStart(2, "0")}:${String(end % 60).padStart(2, "0")}`;
}
