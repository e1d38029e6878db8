/**
 * Tells the citizen their number is called even when they are not looking: vibration and, when
 * they allowed it, a system notification. Each call (ticket id + call time) alerts once.
 */
declare global {
  interface Window {
    /** Texts of the alerts given, for tests. */
    __hallcallAlerts?: string[];
  }
}

const alerted = new Set<string>();

export function canAskForNotifications(): boolean {
  return "Notification" in window && Notification.permission === "default";
}

export async function askForNotifications(): Promise<void> {
  if ("Notification" in window) await Notification.requestPermission().catch(() => undefined);
}

export function alertCalled(key: string, title: string, body: string): void {
  if (alerted.has(key)) return;
  alerted.add(key);
  (window.__hallcallAlerts ??= []).push(`${title} ${body}`);
  try {
    navigator.vibrate?.([400, 200, 400, 200, 800]);
  } catch {
    /* not allowed without a user gesture on some browsers */
  }
  try {
    if ("Notification" in window && Notification.permission === "granted") new Notification(title, { body, tag: key, requireInteraction: true });
  } catch {
    /* Android Chrome allows notifications only from a service worker */
  }
}
