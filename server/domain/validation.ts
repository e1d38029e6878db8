/** Checks shared by everything an operator writes (hall config, scenarios, environment). */
import { z } from "zod";

/** An IANA time zone the runtime knows, e.g. "Asia/Shanghai". */
export const TimeZone = z.string().superRefine((tz, ctx) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
  } catch {
    ctx.addIssue({ code: "custom", message: `unknown time zone "${tz}"` });
  }
});

/** One Error naming every bad field by its path, so a typo is found without reading code. */
export function invalidInput(source: string, error: z.ZodError): Error {
  const lines = error.issues.map((i) => `  ${i.path.join(".") || "(root)"}: ${i.message}`);
  return new Error(`${source} is invalid:\n${lines.join("\n")}`);
}
