// Messages name commands and headers between backticks (`pnpm ltvloop snapshot`). On screen they
// are set as code, without the backticks; a lone backtick stays as it is.

export interface TextPart {
  text: string;
  code: boolean;
}

export function codeParts(text: string): TextPart[] {
  const parts: TextPart[] = [];
  const pattern = /`([^`]+)`/g;
  let last = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    if (match.index > last) parts.push({ text: text.slice(last, match.index), code: false });
    parts.push({ text: match[1] ?? "", code: true });
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), code: false });
  return parts;
}
