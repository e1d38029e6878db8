import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseHalls } from "../server/domain/config.js";
import { slotsOn } from "../server/domain/booking.js";
import { serviceInfos } from "../server/domain/hall.js";
import { readHallsFile } from "../server/hall-file.js";
import { loadServerConfig } from "../server/settings.js";

const demo = () => JSON.parse(readFileSync(new URL("../config/demo-hall.json", import.meta.url), "utf8"));

describe("hall configuration", () => {
  it("the demo hall is valid: 16 windows and 8 services", () => {
    const [hall] = parseHalls(demo());
    expect(hall!.windows).toHaveLength(16);
    expect(hall!.services).toHaveLength(8);
  });

  it("a bad config names every bad field by its path", () => {
    const cfg = demo();
    cfg.halls[0].services[1].prefix = "a";
    cfg.halls[0].windows[2].qualified.push("ghost");
    cfg.halls[0].windows[3].serving = ["tax"];
    cfg.halls[0].timezone = "Mars/Olympus";
    let message = "";
    try {
      parseHalls(cfg, "demo-hall.json");
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain("demo-hall.json is invalid");
    expect(message).toContain("halls.0.services.1.prefix");
    expect(message).toContain('halls.0.windows.2.qualified.3: unknown service "ghost"');
    expect(message).toContain("halls.0.windows.3.serving.0");
    expect(message).toContain('unknown time zone "Mars/Olympus"');
  });

  it("duplicate ids and prefixes are refused", () => {
    const cfg = demo();
    cfg.halls[0].services[1].prefix = cfg.halls[0].services[0].prefix;
    cfg.halls[0].windows[1].id = cfg.halls[0].windows[0].id;
    expect(() => parseHalls(cfg)).toThrow(/duplicate/);
  });

  it("a rating pad must name its window", () => {
    const cfg = demo();
    cfg.halls[0].devices.push({ token: "pad-without-window-0001", role: "pad" });
    expect(() => parseHalls(cfg)).toThrow(/a rating pad needs its window/);
  });
});

describe("hours and bookings in the config", () => {
  it("the demo hall reads the shipped 2026 calendar and takes bookings for several services on every open day", () => {
    const [hall] = readHallsFile(new URL("../config/demo-hall.json", import.meta.url).pathname);
    expect(hall!.calendar.holidays).toContain("2026-10-01");
    expect(hall!.calendar.workdays).toContain("2026-10-10");
    const booking = hall!.services.filter((s) => s.appointments);
    expect(booking.length).toBeGreaterThanOrEqual(3);
    for (const date of ["2026-12-07", "2026-12-12", "2026-12-13", "2026-10-01"]) expect(booking.filter((s) => slotsOn(s, date, hall!.calendar).length > 0).length).toBeGreaterThanOrEqual(2);
  });

  it("what clients are told of a service's hours is its week's widest: round the clock 00:00–24:00, a schedule from its first opening to its last closing", () => {
    const [hall] = readHallsFile(new URL("../config/demo-hall.json", import.meta.url).pathname);
    const info = (id: string) => serviceInfos(hall!).find((s) => s.id === id)!;
    expect([info("social").opens, info("social").closes]).toEqual(["00:00", "24:00"]);
    expect([info("estate").opens, info("estate").closes]).toEqual(["09:00", "17:00"]);
  });

  it("a calendar file joins the hall's own dates, and a bad date in it is named", () => {
    const dir = mkdtempSync(join(tmpdir(), "hallcall-config-"));
    const cfg = demo();
    cfg.halls[0].calendarFiles = ["extra.json"];
    cfg.halls[0].calendar = { holidays: ["2027-01-01"] };
    writeFileSync(join(dir, "hall.json"), JSON.stringify(cfg));
    writeFileSync(join(dir, "extra.json"), JSON.stringify({ holidays: ["2027-02-06"], workdays: ["2027-02-14"] }));
    const [hall] = readHallsFile(join(dir, "hall.json"));
    expect(hall!.calendar).toEqual({ holidays: ["2027-01-01", "2027-02-06"], workdays: ["2027-02-14"], makeUpDayAs: "mon" });
    writeFileSync(join(dir, "extra.json"), JSON.stringify({ holidays: ["2027-02-30"] }));
    expect(() => readHallsFile(join(dir, "hall.json"))).toThrow(/extra.json is invalid[\s\S]*no such date/);
  });

  it("a schedule's intervals are in order, end after they start, and name weekdays", () => {
    const cfg = demo();
    cfg.halls[0].services[0].schedule = { mon: [["13:00", "12:00"]], tue: [["09:00", "12:00"], ["11:00", "14:00"]], fri: [["09:00", "24:00"]] };
    cfg.halls[0].services[1].schedule = { funday: [["09:00", "10:00"]] };
    let message = "";
    try {
      parseHalls(cfg, "demo-hall.json");
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain("services.0.schedule.mon.0: an interval ends after it starts");
    expect(message).toContain("services.0.schedule.tue.1: intervals of a day are in order and do not overlap");
    expect(message).not.toContain("schedule.fri");
    expect(message).toContain("services.1.schedule");
  });
});

describe("server settings", () => {
  it("start with nothing set: port 3000, memory store, a generated session secret", () => {
    const c = loadServerConfig({});
    expect(c.PORT).toBe(3000);
    expect(c.REDIS_URL).toBeUndefined();
    expect(c.sessionSecretGenerated).toBe(true);
  });

  it("a bad value is named", () => {
    expect(() => loadServerConfig({ PORT: "eighty" })).toThrow(/PORT/);
    expect(() => loadServerConfig({ REDIS_URL: "not a url" })).toThrow(/REDIS_URL/);
  });
});

describe("empty environment variables", () => {
  it("count as not set", () => {
    expect(loadServerConfig({ REDIS_URL: "", PORT: "" }).REDIS_URL).toBeUndefined();
  });
});
