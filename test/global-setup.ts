/**
 * Builds the web pages once per test run for the browser tests and hands the folder to them
 * (`inject("webRoot")`). HC_WEB_OUT picks the folder, so two people testing at once do not
 * overwrite each other's build; HC_SKIP_WEB_BUILD=1 reuses what is there.
 */
import path from "node:path";
import { build } from "vite";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    webRoot: string;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const outDir = path.resolve(process.env.HC_WEB_OUT ?? "dist/e2e-web");
  project.provide("webRoot", outDir);
  if (process.env.HC_SKIP_WEB_BUILD) return;
  await build({ configFile: path.resolve("vite.config.ts"), logLevel: "warn", build: { outDir, emptyOutDir: true } });
}
