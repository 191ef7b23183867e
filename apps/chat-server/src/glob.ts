import { foldCase } from "./casemap.js";

/** A case-folded matcher for an IRC mask with `*` and `?` wildcards. */
export function globMatcher(mask: string): (text: string) => boolean {
  const pattern = foldCase(mask).replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  const regex = new RegExp(`^${pattern}$`);
  return (text) => regex.test(foldCase(text));
}
