import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { COMMAND_NAMES, ERROR_CODES, HallEvent } from "../protocol/index.js";

const doc = readFileSync(new URL("../docs/PROTOCOL.md", import.meta.url), "utf8");

describe("docs/PROTOCOL.md is complete enough to write a client from", () => {
  it.each(COMMAND_NAMES)("documents the command %s", (name) => {
    expect(doc).toContain(`\`${name}\``);
  });
  const eventTypes = HallEvent.options.map((o) => o.shape.type.value);
  it.each(eventTypes)("documents the event %s", (type) => {
    expect(doc).toContain(`\`${type}\``);
  });
  it.each(Object.keys(ERROR_CODES))("documents the error code %s", (code) => {
    expect(doc).toContain(`\`${code}\``);
  });
});
