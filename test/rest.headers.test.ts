/**
 * What every HTTP answer carries (security headers, no caching of /api), and malformed requests
 * answered as the client's mistake: 400 with a JSON error, nothing logged as a server fault.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Logger } from "../server/log.js";
import { startTestServer } from "./helpers/server.js";

/** A logger that keeps what it is told, to show what a request left in the server's log. */
function keepingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const keep = (level: string) => (msg: string, extra?: unknown) => void lines.push(`${level} ${msg} ${extra instanceof Error ? extra.stack : String(extra ?? "")}`);
  return { lines, debug: keep("debug"), info: keep("info"), warn: keep("warn"), error: keep("error") };
}

/** GET a raw path, exactly as written (fetch would re-encode a stray %). */
function rawGet(url: string, path: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path }, (res) => {
      let body = "";
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("security headers", async () => {
  // A built web root of two pages, as vite leaves it.
  const webRoot = await mkdtemp(join(tmpdir(), "hallcall-web-"));
  await mkdir(join(webRoot, "kiosk"));
  for (const page of ["index.html", "kiosk/index.html"]) await writeFile(join(webRoot, page), "<!doctype html><title>page</title>");
  afterAll(() => rm(webRoot, { recursive: true, force: true }));
  const t = await startTestServer({ webRoot });

  it("every answer forbids framing and sniffing and carries a content security policy", async () => {
    for (const path of ["/", "/kiosk/", "/api/halls", "/api/halls/t1/snapshot", "/healthz"]) {
      const res = await fetch(`${t.url}${path}`);
      const csp = res.headers.get("content-security-policy") ?? "";
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("object-src 'none'");
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("referrer-policy")).toBe("no-referrer");
      expect(res.headers.get("x-powered-by")).toBeNull();
    }
  });

  it("no /api answer may be cached, success or error", async () => {
    const answers = [
      await fetch(`${t.url}/api/halls`),
      await fetch(`${t.url}/api/halls/t1/info`),
      await fetch(`${t.url}/api/halls/t1/snapshot`),
      await fetch(`${t.url}/api/halls/t1/tickets/unknown`),
      await fetch(`${t.url}/api/nothing`),
      await fetch(`${t.url}/api/halls/t1/tickets`, { method: "POST", headers: { "content-type": "application/json" }, body: "{" }),
    ];
    for (const res of answers) expect(res.headers.get("cache-control"), res.url).toBe("no-store");
  });
});

describe("malformed URLs", async () => {
  const log = keepingLogger();
  const t = await startTestServer({ log });

  it("a path that is not valid percent-encoding gets 400 VALIDATION as JSON, on /api and off it, and logs no stack", async () => {
    for (const path of ["/api/halls/t1/tickets/%E0%A4%A", "/api/halls/t1/tickets/%", "/api/halls/t1/tickets/%%", "/api/halls/%/info", "/api/%", "/%", "/%%", "/kiosk/%E0%A4%A"]) {
      const res = await rawGet(t.url, path);
      expect(res.status, path).toBe(400);
      expect(res.headers["content-type"]).toMatch(/^application\/json/);
      expect(JSON.parse(res.body)).toEqual({ ok: false, error: { code: "VALIDATION", message: expect.any(String) } });
    }
    expect(log.lines.filter((l) => l.startsWith("error") || l.startsWith("warn"))).toEqual([]);
  });

  it("a well-encoded odd path is an ordinary 404", async () => {
    const res = await rawGet(t.url, "/api/halls/t1/tickets/%E0%A4%A4");
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: "UNKNOWN_TICKET" } });
  });

  it("a body in a charset the server does not read is refused as the client's mistake", async () => {
    const res = await fetch(`${t.url}/api/halls/t1/login`, { method: "POST", headers: { "content-type": "application/json; charset=koi8-r" }, body: "{}" });
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({ ok: false, error: { code: "VALIDATION" } });
    expect(log.lines.filter((l) => l.startsWith("error"))).toEqual([]);
  });
});
