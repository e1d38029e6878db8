/**
 * `npm start` runs this first: builds the web pages with Vite when dist/web is missing or older
 * than any page source, so a fresh clone needs only `npm install && npm start`.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const SOURCES = ["index.html", "web", "displays", "counter-client", "kiosk", "manager", "track", "pad", "protocol", "vite.config.ts"];
const STAMP = "dist/web/index.html";

function newest(p: string): number {
  if (!existsSync(p)) return 0;
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(0, ...readdirSync(p).map((f) => newest(path.join(p, f))));
}

const built = existsSync(STAMP) ? statSync(STAMP).mtimeMs : 0;
if (built < Math.max(...SOURCES.map(newest))) {
  console.log("building web pages (vite build)…");
  execFileSync(process.execPath, ["node_modules/vite/bin/vite.js", "build", "--logLevel", "warn"], { stdio: "inherit" });
}
