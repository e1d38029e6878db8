/**
 * The console's REST calls with the manager's Bearer token (`staffCall`, used by every panel):
 * today's bookings and the hall's hours here; the other panels name their own routes.
 * Every answer is the data or the server's error ({code, message}), NETWORK when it could not be
 * reached, so a panel shows the refusal in plain words instead of throwing.
 */
import type { Bilingual, DayBookings, HallError, HoursChange, HoursUpdate, HoursView } from "../protocol/index.js";
import { errorText } from "../web/shared/plain-errors.js";
import { tr } from "../web/shared/i18n.js";

export type { HoursChange };

export type ApiError = HallError | { code: "NETWORK" | "NOT_FOUND"; message: string };
export type ApiAnswer<T> = { ok: true; data: T } | { ok: false; status: number; error: ApiError };

const base = (hallId: string) => `/api/halls/${encodeURIComponent(hallId)}`;

/** One REST call of the console with the manager's Bearer token: the answer, or the server's refusal (NETWORK when unreachable). */
export async function staffCall<T>(url: string, token: string, init: RequestInit = {}): Promise<ApiAnswer<T>> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.body ? { "content-type": "application/json" } : {}) } });
  } catch {
    return { ok: false, status: 0, error: { code: "NETWORK", message: "The server could not be reached." } };
  }
  const body = (await res.json().catch(() => null)) as { error?: HallError } | null;
  if (res.ok) return { ok: true, data: body as T };
  return { ok: false, status: res.status, error: body?.error ?? { code: res.status === 404 ? "NOT_FOUND" : "INTERNAL", message: res.statusText } };
}

export const fetchDayBookings = (hallId: string, token: string, date: string) => staffCall<DayBookings>(`${base(hallId)}/appointments?${new URLSearchParams({ date })}`, token);

export const fetchHours = (hallId: string, token: string) => staffCall<HoursView>(`${base(hallId)}/hours`, token);

export const saveHours = (hallId: string, token: string, update: HoursUpdate) => staffCall<HoursView>(`${base(hallId)}/hours`, token, { method: "PUT", body: JSON.stringify(update) });

export const fetchHoursLog = (hallId: string, token: string) => staffCall<HoursChange[]>(`${base(hallId)}/hours/log`, token);

/** What the console's booking and hours panels may hear beyond the staff pages' shared table (web/shared/plain-errors.ts). */
const CONSOLE_ERRORS: Record<string, Bilingual> = {
  RECORDS_UNAVAILABLE: { zh: "本服务器没有接记录数据库：不接受预约，办理时间以配置文件为准，不能在此修改", en: "This server keeps no records database: no bookings, and the config file's hours cannot be changed here" },
  NETWORK: { zh: "连不上服务器，请检查网络后重试", en: "The server could not be reached; check the network and retry" },
  NOT_FOUND: { zh: "服务器没有这项功能（版本较旧？）", en: "The server has no such route (an older version?)" },
};

/** A refusal of the console's REST calls in plain words. */
export function consoleErrorText(err: ApiError): string {
  const plain = CONSOLE_ERRORS[err.code];
  return plain ? tr(plain) : errorText(err);
}
