/** A small hall for tests: three services, four windows, staff and devices with known secrets. */
import { parseHall, type HallConfig, type HallConfigInput } from "../../server/domain/config.js";
import { hashPassword } from "../../server/transport/auth.js";

export const PASSWORD = "test-password";
const hash = hashPassword(PASSWORD);

export const TOKENS = {
  board: "test-board-token-000001",
  kiosk: "test-kiosk-token-000001",
  strip1: "test-strip-1-token-0001",
  pad1: "test-pad-1-token-000001",
  pad2: "test-pad-2-token-000001",
};

export function testHall(overrides: Partial<HallConfigInput> = {}): HallConfig {
  return parseHall({
    id: "t1",
    name: { zh: "测试大厅", en: "Test hall" },
    timezone: "Asia/Shanghai",
    services: [
      { id: "social", prefix: "A", name: { zh: "社保", en: "Social" }, targetWaitMin: 20, opens: "00:00", closes: "24:00", serviceMin: 8 },
      { id: "medical", prefix: "B", name: { zh: "医保", en: "Medical" }, targetWaitMin: 20, opens: "00:00", closes: "24:00", serviceMin: 6 },
      { id: "estate", prefix: "D", name: { zh: "不动产", en: "Estate" }, targetWaitMin: 30, dailyQuota: 2, opens: "00:00", closes: "24:00", serviceMin: 20 },
    ],
    windows: [
      { id: "1", label: { zh: "1号窗口", en: "Window 1" }, qualified: ["social", "medical"], serving: ["social"] },
      { id: "2", label: { zh: "2号窗口", en: "Window 2" }, qualified: ["medical", "social"], serving: ["medical"] },
      { id: "3", label: { zh: "3号窗口", en: "Window 3" }, qualified: ["estate"], serving: ["estate"] },
      { id: "4", label: { zh: "4号窗口", en: "Window 4" }, qualified: ["social", "medical", "estate"], serving: ["social", "medical"] },
    ],
    staff: [
      { id: "alice", name: "Alice", passwordHash: hash, roles: ["counter"] },
      { id: "bob", name: "Bob", passwordHash: hash, roles: ["counter"] },
      { id: "boss", name: "Boss", passwordHash: hash, roles: ["manager", "counter"] },
    ],
    devices: [
      { token: TOKENS.board, role: "display" },
      { token: TOKENS.kiosk, role: "kiosk" },
      { token: TOKENS.strip1, role: "display", windowId: "1" },
      { token: TOKENS.pad1, role: "pad", windowId: "1" },
      { token: TOKENS.pad2, role: "pad", windowId: "2" },
    ],
    ...overrides,
  });
}
