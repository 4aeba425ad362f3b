// Notebook awareness: whether code runs inside the project's tslab kernel (the launcher sets
// SAFENET_IN_NOTEBOOK=1) and access to tslab's rich display, so lib code can show tables, figures and
// progress inline while staying testable from plain Node (where these fall back to the console).

export function inNotebook(): boolean {
  return process.env.SAFENET_IN_NOTEBOOK === '1';
}

export interface TslabDisplay {
  html(s: string): void;
  markdown(s: string): void;
  svg(s: string): void;
  png(b: Uint8Array): void;
  text(s: string): void;
}

/** tslab's display, or null outside a notebook. */
export function tslabDisplay(): { display: TslabDisplay; newDisplay: () => TslabDisplay } | null {
  if (!inNotebook()) return null;
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const tslab = require('tslab');
    return { display: tslab.display, newDisplay: tslab.newDisplay };
  } catch {
    return null;
  }
}

/** Show markdown in a notebook, or print it in a terminal. */
export function showMarkdown(md: string): void {
  const t = tslabDisplay();
  if (t) t.display.markdown(md);
  else console.log(md);
}

/** Show lines as a markdown bullet list (one call for a list of notes). */
export function showBullets(lines: string[]): void {
  showMarkdown(lines.map((l) => `- ${l}`).join('\n'));
}
