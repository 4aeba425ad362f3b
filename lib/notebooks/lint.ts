// Notebook lint (run by `make test` on every notebooks/*.ipynb): the notebook rules of DEVELOPERS.md made
// checkable, so that notebooks stay thin and readable: no committed outputs, real markdown, short code cells with
// no function/class definitions or loops (logic lives in lib/, tested), the environment and "what to run first"
// at the top, every figure through lib/figures. Serves every notebook of the package (paper sections 2-4).
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { paths, rel } from '../core/paths';

/** The longest code cell allowed, counting lines that are not imports, blank or comments. */
export const MAX_CODE_LINES = 12;
/** The kernel every notebook runs on (lib/notebooks/kernel.ts writes its spec). */
export const NOTEBOOK_KERNEL = 'safenet';
/** Modules a notebook cell may import besides the library's own files (`./lib/...`). */
export const ALLOWED_PACKAGES: readonly string[] = [];
/** Modules that draw or display by themselves: figures go through lib/figures/render (saveFigure). */
const FIGURE_BYPASS = ['vega', 'vega-lite', '@resvg/resvg-js', 'tslab', 'vega-embed'];
/** The call of the first code cell: shows the environment and what to run first (lib/core/environment). */
export const ENVIRONMENT_CALL = 'showEnvironment';
/** The figure calls of lib/figures/render. */
export const FIGURE_CALLS = ['saveFigure'];

export interface LintProblem {
  notebook: string;
  /** 1-based cell number, or null for the whole notebook. */
  cell: number | null;
  rule: string;
  message: string;
}

export function formatProblem(p: LintProblem): string {
  return `${rel(p.notebook)}${p.cell === null ? '' : ` cell ${p.cell}`}: [${p.rule}] ${p.message}`;
}

function cellSource(c: any): string {
  return Array.isArray(c.source) ? c.source.join('') : String(c.source ?? '');
}

/** Markdown lines outside fenced code blocks. */
function proseLines(md: string): string[] {
  const out: string[] = [];
  let fenced = false;
  for (const line of md.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      continue;
    }
    if (!fenced) out.push(line);
  }
  return out;
}

const LOGIC_KINDS: [ts.SyntaxKind, string][] = [
  [ts.SyntaxKind.FunctionDeclaration, 'defines a function'],
  [ts.SyntaxKind.FunctionExpression, 'defines a function'],
  [ts.SyntaxKind.ArrowFunction, 'defines an arrow function'],
  [ts.SyntaxKind.MethodDeclaration, 'defines a method'],
  [ts.SyntaxKind.ClassDeclaration, 'defines a class'],
  [ts.SyntaxKind.ClassExpression, 'defines a class'],
  [ts.SyntaxKind.ForStatement, 'has a loop (for)'],
  [ts.SyntaxKind.ForOfStatement, 'has a loop (for ... of)'],
  [ts.SyntaxKind.ForInStatement, 'has a loop (for ... in)'],
  [ts.SyntaxKind.WhileStatement, 'has a loop (while)'],
  [ts.SyntaxKind.DoStatement, 'has a loop (do ... while)'],
];

function calleeName(call: ts.CallExpression): string {
  const e = call.expression;
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  return '';
}

interface CodeFacts {
  problems: { rule: string; message: string }[];
  calls: Set<string>;
  imports: string[];
}

/** Check one code cell's source (as the TypeScript parser sees it). */
export function lintCode(source: string): CodeFacts {
  const problems: { rule: string; message: string }[] = [];
  const calls = new Set<string>();
  const imports: string[] = [];
  const sf = ts.createSourceFile('cell.ts', source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const diags = (sf as any).parseDiagnostics as ts.Diagnostic[] | undefined;
  if (diags && diags.length) {
    const d = diags[0];
    const line = d.start !== undefined ? sf.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
    problems.push({ rule: 'syntax', message: `line ${line}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}` });
  }
  const imported = new Set<string>();
  let codeLines = new Set<number>();
  const lineOf = (n: ts.Node) => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) || ts.isImportEqualsDeclaration(st)) {
      let spec = '';
      if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)) spec = st.moduleSpecifier.text;
      if (ts.isImportEqualsDeclaration(st) && ts.isExternalModuleReference(st.moduleReference) && ts.isStringLiteral(st.moduleReference.expression)) {
        spec = st.moduleReference.expression.text;
      }
      imports.push(spec);
      if (ts.isImportDeclaration(st) && st.importClause) {
        const ic = st.importClause;
        if (ic.name) imported.add(ic.name.text);
        const nb = ic.namedBindings;
        if (nb && ts.isNamespaceImport(nb)) imported.add(nb.name.text);
        if (nb && ts.isNamedImports(nb)) nb.elements.forEach((el) => imported.add(el.name.text));
      }
      if (ts.isImportEqualsDeclaration(st)) imported.add(st.name.text);
      continue;
    }
    const a = sf.getLineAndCharacterOfPosition(st.getStart(sf)).line;
    const b = sf.getLineAndCharacterOfPosition(st.getEnd()).line;
    for (let l = a; l <= b; l++) codeLines.add(l);
  }
  // lines of non-import statements, without blank and comment-only lines
  const lines = source.split('\n');
  codeLines = new Set([...codeLines].filter((l) => {
    const t = (lines[l] ?? '').trim();
    return t !== '' && !t.startsWith('//');
  }));
  if (codeLines.size > MAX_CODE_LINES) {
    problems.push({ rule: 'cell-length', message: `${codeLines.size} lines of code (imports, blank lines and comments not counted; at most ${MAX_CODE_LINES}): move the work into a lib/ function` });
  }
  for (const spec of imports) {
    if (spec.startsWith('./lib/')) {
      const file = path.join(paths.root, `${spec}.ts`);
      if (!fs.existsSync(file)) {
        problems.push({ rule: 'imports', message: `'${spec}' is not a file of the library (tslab resolves only '${spec}.ts'; import files, not folders)` });
      }
    } else if (FIGURE_BYPASS.includes(spec)) {
      problems.push({ rule: 'figures', message: `imports '${spec}': figures and displays go through lib/figures/render (saveFigure) and lib/core/tables` });
    } else if (!ALLOWED_PACKAGES.includes(spec)) {
      problems.push({ rule: 'imports', message: `imports '${spec}': a cell imports the library's own files ('./lib/...'); wrap what a package does in lib/` });
    }
  }
  const inFigureCall = (n: ts.Node): boolean => {
    for (let p = n.parent; p; p = p.parent) if (ts.isCallExpression(p) && FIGURE_CALLS.includes(calleeName(p))) return true;
    return false;
  };
  const visit = (n: ts.Node) => {
    for (const [kind, what] of LOGIC_KINDS) {
      if (n.kind === kind) problems.push({ rule: 'no-logic', message: `line ${lineOf(n)} ${what}: logic lives in lib/ (with a test), the cell calls it` });
    }
    if (ts.isShorthandPropertyAssignment(n) && imported.has(n.name.text)) {
      problems.push({ rule: 'tslab', message: `line ${lineOf(n)}: shorthand property '{ ${n.name.text} }' of an imported name fails under tslab: write '{ ${n.name.text}: ${n.name.text} }'` });
    }
    if (ts.isCallExpression(n)) {
      const name = calleeName(n);
      calls.add(name);
      if (/Spec$/.test(name) && !inFigureCall(n)) {
        problems.push({ rule: 'figures', message: `line ${lineOf(n)}: ${name}(...) builds a figure outside saveFigure(...): pass it straight to saveFigure` });
      }
      if (ts.isPropertyAccessExpression(n.expression) && /^(display|newDisplay)$/.test(ts.isPropertyAccessExpression(n.expression.expression) ? n.expression.expression.name.text : '')) {
        problems.push({ rule: 'figures', message: `line ${lineOf(n)}: displays directly; use saveFigure / showTable / showMarkdown` });
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return { problems, calls, imports };
}

/** Lint one notebook file; returns its problems (empty when it follows the rules). */
export function lintNotebook(file: string): LintProblem[] {
  const out: LintProblem[] = [];
  const add = (cell: number | null, rule: string, message: string) => out.push({ notebook: file, cell, rule, message });
  let nb: any;
  try {
    nb = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    add(null, 'json', `not valid notebook JSON (${(e as Error).message})`);
    return out;
  }
  if (!Array.isArray(nb.cells)) {
    add(null, 'json', "no 'cells' array");
    return out;
  }
  const name = path.basename(file, '.ipynb');
  if (nb.metadata?.kernelspec?.name !== NOTEBOOK_KERNEL) add(null, 'kernel', `metadata.kernelspec.name is '${nb.metadata?.kernelspec?.name}', not '${NOTEBOOK_KERNEL}'`);
  const cells: any[] = nb.cells;
  let h1 = 0;
  cells.forEach((c, i) => {
    const n = i + 1;
    const src = cellSource(c);
    if (c.cell_type === 'code') {
      if ((c.outputs && c.outputs.length > 0) || c.execution_count != null) add(n, 'outputs', 'has outputs or an execution count: clear them before committing');
      if (!src.trim()) add(n, 'empty', 'empty code cell');
      for (const p of lintCode(src).problems) add(n, p.rule, p.message);
    } else if (c.cell_type === 'markdown') {
      const lines = proseLines(src).filter((l) => l.trim() !== '');
      if (lines.some((l) => /^#\s+#/.test(l))) add(n, 'markdown', "a heading written as '# #': the '# ' prefix of the text source was kept");
      if (lines.length >= 2 && lines.every((l) => /^#/.test(l))) add(n, 'markdown', `all ${lines.length} lines start with '#', so every line renders as a heading: write prose without the '# ' prefix`);
      const titles = lines.filter((l) => /^#\s/.test(l)).length;
      h1 += titles;
      if (titles > 0 && i !== 0) add(n, 'markdown', "a top-level '# ' heading after the first cell: use '## ' for sections");
      if (!src.trim()) add(n, 'empty', 'empty markdown cell');
    } else if (c.cell_type !== 'raw') {
      add(n, 'json', `unknown cell type '${c.cell_type}'`);
    }
  });
  // the top: a title and what to run first, then the environment
  const first = cells[0];
  if (!first || first.cell_type !== 'markdown' || !/^#\s/.test(cellSource(first))) {
    add(1, 'top', "the first cell must be markdown that starts with the notebook's '# ' title");
  } else if (h1 !== 1) {
    add(null, 'markdown', `${h1} top-level '# ' headings: exactly one (the title, first cell)`);
  }
  if (first && first.cell_type === 'markdown' && !/\*\*Run first:?\*\*/.test(cellSource(first))) {
    add(1, 'top', "the first cell must say what to run first, in a line starting '**Run first:**' (or that nothing is needed)");
  }
  const firstCode = cells.findIndex((c) => c.cell_type === 'code');
  if (firstCode < 0) add(null, 'top', 'no code cell');
  else {
    const src = cellSource(cells[firstCode]);
    const call = new RegExp(`\\b${ENVIRONMENT_CALL}\\(\\s*['"]${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}['"]`);
    if (!call.test(src)) add(firstCode + 1, 'top', `the first code cell must call ${ENVIRONMENT_CALL}('${name}') (environment, seeds, what to run first)`);
  }
  return out;
}

/** Lint every notebooks/*.ipynb (or the given files). */
export function lintNotebooks(files?: string[]): LintProblem[] {
  const list = files ?? fs.readdirSync(paths.notebooks).filter((f) => f.endsWith('.ipynb')).sort().map((f) => path.join(paths.notebooks, f));
  return list.flatMap((f) => lintNotebook(f));
}
