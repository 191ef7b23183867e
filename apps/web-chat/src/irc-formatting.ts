// Bold, italics, underline, strike, monospace, reverse, reset; colours with their numbers
// (\x03fg,bg) or hex (\x04RRGGBB,RRGGBB); and every other control character but tab.
// eslint-disable-next-line no-control-regex -- IRC formatting codes are control characters
const formatting = /\x03(\d{1,2}(,\d{1,2})?)?|\x04([0-9a-fA-F]{6}(,[0-9a-fA-F]{6})?)?|[\x00-\x08\x0a-\x1f\x7f]/g;

/** Message text without IRC formatting codes and control characters, as shown to the user. */
export function stripFormatting(text: string): string {
  return text.replace(formatting, "");
}
