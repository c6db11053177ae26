// E-mail bodies are TypeScript templates kept beside the module that sends them (e.g. account.mail.ts):
// typed parameters, a text part and an HTML part in which every interpolated value is escaped.

export type MailContent = Readonly<{ subject: string; text: string; html: string }>;

const escapes: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** A piece of HTML that `html` inserts as it is (the output of `html` itself). */
class SafeHtml {
  constructor(readonly value: string) {}
  toString() {
    return this.value;
  }
}

/** HTML with every interpolated value escaped, except nested `html` pieces. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? "";
  values.forEach((value, index) => {
    out += value instanceof SafeHtml ? value.value : String(value).replace(/[&<>"']/g, (c) => escapes[c] ?? c);
    out += strings[index + 1] ?? "";
  });
  return new SafeHtml(out);
}

/** The shared frame of every message. */
export function mailPage(title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html><head><meta charset="utf-8"><title>${title}</title></head>
<body style="font-family: sans-serif; line-height: 1.5; max-width: 36em">
${body}
</body></html>`.value;
}
