import { BookingCode } from "../protocol/index.js";

/**
 * What was typed or scanned, as a booking code: the bare code, or the booking's link (the QR's
 * text, which a hardware scanner types followed by Enter) with `code=` in it. Spaces and dashes a
 * citizen types between the groups of the printed code do not count. Null when it is neither.
 */
export function codeFrom(text: string): string | null {
  const raw = text.trim();
  const inLink = /[?&#]code=([^&#\s]+)/i.exec(raw)?.[1];
  let code = raw.replace(/[\s-]+/g, "");
  if (inLink) {
    try {
      code = decodeURIComponent(inLink);
    } catch {
      return null;
    }
  }
  const parsed = BookingCode.safeParse(code);
  return parsed.success ? parsed.data : null;
}
