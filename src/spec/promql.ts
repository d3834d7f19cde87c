// Renders `{{name}}` placeholders in a PromQL query. Values are names from the spec, but a name
// must never be able to change the query's meaning, so each value is escaped for the literal it
// sits in: inside "..." or '...' the quote, backslash and control characters are escaped (the
// PromQL lexer accepts only the opening quote as an escaped quote); inside `...` (raw) a backtick
// is refused; after =~ or !~ regex metacharacters are escaped too. A placeholder outside any
// string literal is refused: even a DNS-valid name like `or` would be an operator there.
import { TEMPLATE_VARIABLES, type TemplateVariable, type TemplateVariables } from './target';

export class TemplateError extends Error {
  override readonly name = 'TemplateError';
}

type Quote = '"' | "'" | '`';

interface Literal {
  quote: Quote;
  /** the literal is the right-hand side of =~ or !~ */
  regex: boolean;
}

/** Placeholder names in the order they appear (comments included), without rendering. */
export function placeholders(template: string): string[] {
  return [...template.matchAll(/\{\{\s*([^}]*?)\s*\}\}/g)].map((m) => m[1] ?? '');
}

/**
 * @throws TemplateError for an unknown placeholder, a placeholder without a value, one outside a
 *   string literal, an unclosed `{{` or an unterminated string literal
 */
export function renderPromQL(template: string, variables: TemplateVariables): string {
  let out = '';
  let literal: Literal | undefined;
  let i = 0;
  while (i < template.length) {
    if (template.startsWith('{{', i)) {
      const close = template.indexOf('}}', i + 2);
      if (close < 0) throw new TemplateError(`unclosed "{{" at position ${i}`);
      const value = lookup(template.slice(i + 2, close).trim(), variables);
      if (!literal) {
        throw new TemplateError(
          `${template.slice(i, close + 2)} is outside a quoted string; put it inside quotes, e.g. deployment="{{deployment}}"`,
        );
      }
      out += escapeValue(value, literal);
      i = close + 2;
      continue;
    }
    const ch = template[i]!;
    if (literal) {
      if (ch === '\\' && literal.quote !== '`') {
        out += template.slice(i, i + 2);
        i += 2;
        continue;
      }
      if (ch === literal.quote) literal = undefined;
    } else if (ch === '"' || ch === "'" || ch === '`') {
      literal = { quote: ch, regex: /[=!]~\s*$/.test(template.slice(0, i)) };
    } else if (ch === '#') {
      // A comment runs to the end of the line; copied verbatim, placeholders included.
      const end = template.indexOf('\n', i);
      const stop = end < 0 ? template.length : end;
      out += template.slice(i, stop);
      i = stop;
      continue;
    }
    out += ch;
    i += 1;
  }
  if (literal) throw new TemplateError(`unterminated ${literal.quote} string literal`);
  return out;
}

function lookup(name: string, variables: TemplateVariables): string {
  if (!(TEMPLATE_VARIABLES as readonly string[]).includes(name)) {
    throw new TemplateError(`unknown placeholder {{${name}}}; known placeholders: ${TEMPLATE_VARIABLES.join(', ')}`);
  }
  const value = variables[name as TemplateVariable];
  if (value === undefined) {
    throw new TemplateError(`{{${name}}} has no value here${name === 'canary' || name === 'deployment' ? ' (the target has no canary)' : ''}`);
  }
  return value;
}

function escapeValue(value: string, literal: Literal): string {
  const text = literal.regex ? value.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&') : value;
  if (literal.quote === '`') {
    if (text.includes('`')) throw new TemplateError(`value ${JSON.stringify(value)} contains a backtick and cannot go inside \`...\``);
    return text;
  }
  return text.replace(/[\\"'\u0000-\u001f\u007f]/g, (ch) => {
    if (ch === '"' || ch === "'") return ch === literal.quote ? `\\${ch}` : ch;
    if (ch === '\\') return '\\\\';
    if (ch === '\n') return '\\n';
    if (ch === '\r') return '\\r';
    if (ch === '\t') return '\\t';
    return `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}
