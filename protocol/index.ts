export * from "./schemas.js";
export * from "./errors.js";
export * from "./commands.js";
export * from "./reducer.js";
export * from "./feed.js";
export * from "./window-actions.js";
export * from "./reports.js";
