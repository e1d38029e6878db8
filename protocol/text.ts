/**
 * Free text a person types (a park or pause reason, a missing document's name) ends up on boards,
 * counters and the console. It is one line of plain text: characters that would break the line or
 * change how the text around them is shown are taken out when the command is validated, so every
 * screen shows what was typed and nothing else.
 */
import { z } from "zod";

/** Tabs and line breaks (CR, LF, VT, FF, NEL, U+2028, U+2029): each run becomes one space, so words stay apart. */
const LINE_BREAKS = /[\t\n\v\f\r\u0085\u2028\u2029]+/g;

/**
 * Removed outright: the other C0 controls and DEL, the C1 controls, the bidirectional formatting
 * characters that reorder what follows them (ALM U+061C, LRM/RLM U+200E–U+200F, the embeddings and
 * overrides U+202A–U+202E, the isolates U+2066–U+2069), and the invisible zero-width space, word
 * joiner and BOM (U+200B, U+2060, U+FEFF), which would let a reason look empty. The joiners U+200C
 * and U+200D stay: some scripts and emoji need them.
 */
const HIDDEN = /[\u0000-\u0008\u000e-\u001f\u007f-\u0084\u0086-\u009f\u061c\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/g;

/** The text as one plain line: hidden characters removed, line breaks and tabs made spaces, trimmed. */
export const oneLine = (text: string): string => text.replace(HIDDEN, "").replace(LINE_BREAKS, " ").trim();

/** Whether `text` is already what `oneLine` makes of it. */
export const isOneLine = (text: string): boolean => oneLine(text) === text;

/**
 * A free-text field of at most `max` characters, counted after cleaning; text with nothing left
 * after cleaning is refused like empty text.
 */
export const OneLineText = (max: number) => z.string().transform(oneLine).pipe(z.string().min(1).max(max));
