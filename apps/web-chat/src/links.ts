/** A run of message text, with href when it is a link. */
export interface TextPart {
  text: string;
  href?: string;
}

const candidate = /\bhttps?:\/\/[^\s<>"]+/gi;
const closers: Readonly<Record<string, string>> = { ")": "(", "]": "[", "}": "{" };

/** Drops what usually follows a link in prose: `.`, `,`, quotes, a `)` that closes text around it. */
function trimLink(url: string): string {
  let end = url.length;
  for (;;) {
    const last = url[end - 1] as string;
    if (".,;:!?'*".includes(last)) {
      end--;
      continue;
    }
    const opener = closers[last];
    if (opener) {
      const body = url.slice(0, end);
      if (body.split(opener).length < body.split(last).length) {
        end--;
        continue;
      }
    }
    return url.slice(0, end);
  }
}

/** The URL as a safe href: http and https only, or undefined. */
export function safeHref(text: string): string | undefined {
  try {
    const url = new URL(text);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** Splits message text into plain runs and http(s) links. */
export function findLinks(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(candidate)) {
    const start = match.index;
    const url = trimLink(match[0]);
    const href = safeHref(url);
    if (!href) continue;
    if (start > last) parts.push({ text: text.slice(last, start) });
    parts.push({ text: url, href });
    last = start + url.length;
  }
  if (last < text.length || parts.length === 0) parts.push({ text: text.slice(last) });
  return parts;
}
