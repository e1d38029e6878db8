/** Page parameters come from the URL, so a screen can be set up once by its link. */
export function param(name: string, fallback = ""): string {
  return new URLSearchParams(location.search).get(name) ?? fallback;
}
