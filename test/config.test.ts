import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseHalls } from "../server/domain/config.js";
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
