/** What a citizen reads about a booking, and what the kiosk takes as a booking code. */
import { describe, expect, it } from "vitest";
import { codeFrom } from "../kiosk/booking-code.js";
import { plainError } from "../kiosk/errors.js";
import { bookingRefusal } from "../web/shared/booking-errors.js";

describe("the kiosk's booking code field", () => {
  it("takes the bare code as typed, in either case, with the spaces of its printed groups left out", () => {
    expect(codeFrom(" K7QM 2XHP 9RTV 4WNC ")).toBe("K7QM2XHP9RTV4WNC");
    expect(codeFrom("k7qm-2xhp-9rtv-4wnc")).toBe("K7QM2XHP9RTV4WNC");
  });

  it("takes the code out of the booking's link, as a scanner types the QR code", () => {
    expect(codeFrom("https://hall.example.gov.cn/book/?hall=t1&code=K7QM2XHP9RTV4WNC")).toBe("K7QM2XHP9RTV4WNC");
  });

  it("takes nothing that is not a code: a tracker's link, a short or odd text", () => {
    expect(codeFrom("https://hall.example.gov.cn/track/?hall=t1&ticket=abc")).toBeNull();
    expect(codeFrom("1234")).toBeNull();
    expect(codeFrom("code=%E0%A4%A")).toBeNull();
  });
});

describe("a refusal in plain words", () => {
  it("a full slot says so in Chinese and English", () => {
    expect(bookingRefusal({ code: "SLOT_FULL", message: "2026-12-07 10:00 is fully booked." })).toEqual({ zh: "该时段已约满，请选择其他时段。", en: "This slot is fully booked. Please choose another one." });
  });

  it("a blocked phone is told until which date, from the refusal's details", () => {
    const words = bookingRefusal({ code: "BOOKING_BLOCKED", message: "Booking is blocked until 2026-12-20 after 2 missed bookings within 30 days.", details: { until: "2026-12-20" } });
    expect(words.zh).toBe("您的手机号因多次预约未到（失约），2026-12-20 前暂停预约。");
    expect(words.en).toContain("until 2026-12-20");
  });

  it("a ticket refused because the service is closed shows the server's notice of when it opens", () => {
    const notice = { zh: "暂停取号，周六 09:00 开始办理", en: "No tickets now; opens Sat 09:00" };
    expect(plainError({ code: "SERVICE_CLOSED", message: "社保：…", details: { opensAt: 0, notice } }).zh).toBe("该业务暂停取号，周六 09:00 开始办理。");
  });

  it("a check-in of an unknown code asks to check the code", () => {
    expect(plainError({ code: "UNKNOWN_BOOKING", message: "" }).zh).toBe("没有找到这个预约，请核对预约码。");
  });
});
