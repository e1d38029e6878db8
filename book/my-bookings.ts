/**
 * 我的预约: the codes of the bookings made or opened on this phone, kept in localStorage per hall,
 * newest first, so a citizen who comes back finds them. The code is the booking's only credential;
 * it never leaves this phone except to this hall's server.
 */
const MAX = 20;
const key = (hallId: string) => `hallcall.bookings.${hallId}`;

export function myCodes(hallId: string): string[] {
  try {
    const list: unknown = JSON.parse(localStorage.getItem(key(hallId)) ?? "[]");
    return Array.isArray(list) ? list.filter((c): c is string => typeof c === "string") : [];
  } catch {
    return [];
  }
}

function save(hallId: string, codes: string[]): void {
  try {
    localStorage.setItem(key(hallId), JSON.stringify(codes.slice(0, MAX)));
  } catch {
    /* storage full or disabled: the booking still stands, its link still opens it */
  }
}

export const keepCode = (hallId: string, code: string): void => save(hallId, [code, ...myCodes(hallId).filter((c) => c !== code)]);

export const forgetCode = (hallId: string, code: string): void => save(hallId, myCodes(hallId).filter((c) => c !== code));
