/**
 * A staff session kept in sessionStorage (per browser tab): the token from
 * POST /api/halls/:id/login and who signed in. Closing the tab forgets it; signing out also
 * revokes the token on the server, so a copy of it is refused on every node.
 */
export interface StaffSession {
  token: string;
  staff: { id: string; name: string; roles: string[] };
}

/** The refusals after which a staff page forgets its session and shows the sign-in form again. */
export const SIGN_IN_AGAIN: ReadonlySet<string> = new Set(["UNAUTHORIZED", "SESSION_ENDED", "SESSION_REPLACED"]);

const key = (hallId: string, app: string) => `hallcall.session.${app}.${hallId}`;

export function loadSession(hallId: string, app: string): StaffSession | null {
  try {
    const raw = sessionStorage.getItem(key(hallId, app));
    return raw ? (JSON.parse(raw) as StaffSession) : null;
  } catch {
    return null;
  }
}

export function saveSession(hallId: string, app: string, s: StaffSession | null): void {
  if (s) sessionStorage.setItem(key(hallId, app), JSON.stringify(s));
  else sessionStorage.removeItem(key(hallId, app));
}

/** Sign out: the server revokes the token (best effort: the page forgets it whatever the answer). */
export function endSession(hallId: string, app: string): void {
  const s = loadSession(hallId, app);
  saveSession(hallId, app, null);
  if (!s) return;
  void fetch(`/api/halls/${encodeURIComponent(hallId)}/logout`, { method: "POST", headers: { authorization: `Bearer ${s.token}` }, keepalive: true }).catch(() => {});
}
