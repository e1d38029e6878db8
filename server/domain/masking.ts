/**
 * How a citizen's name and phone are shown anywhere but to the counter serving them: the first
 * character of the name (张*, 欧**), the first three and last four digits of the phone (138****1234).
 */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return "*";
  return chars[0]! + "*".repeat(Math.max(1, chars.length - 1));
}

export function maskPhone(phone: string): string {
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : "****";
}
