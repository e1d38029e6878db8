import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { defineConfig } from "vite";

/** Every .html page under these folders is an entry: the hall's screens and apps. */
const PAGE_DIRS = [".", "displays", "counter-client", "kiosk", "manager", "track", "pad", "book", "case"];

function pages(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const dir of PAGE_DIRS) {
    let files: string[] = [];
    try {
      files = readdirSync(dir).filter((f) => f.endsWith(".html") && statSync(path.join(dir, f)).isFile());
    } catch {
      continue;
    }
    for (const f of files) out[path.join(dir, f).replace(/\.html$/, "").replace(/[\\/]/g, "_")] = path.resolve(dir, f);
  }
  return out;
}

export default defineConfig({
  root: ".",
  publicDir: false,
  build: {
    outDir: "dist/web",
    emptyOutDir: true,
    target: "es2022",
    rollupOptions: { input: pages() },
  },
  esbuild: { target: "es2022" },
});
