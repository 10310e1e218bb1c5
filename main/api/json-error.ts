/**
 * Reading JSON text that came from outside (an experiment file, a WebSocket frame, a file on disk)
 * with errors fit for one line of output. V8's own messages quote the input around the fault,
 * which can span lines, carry control characters or echo bytes that are not text at all; these
 * helpers say where instead (line and column), never what.
 */

/** A UTF-8 byte order mark as `readFile(…, 'utf8')` returns it (U+FEFF). */
const BOM = '\uFEFF';

/** Parses JSON text; a leading byte order mark (Windows editors write one) is accepted. */
export function parseJsonText(text: string): unknown {
  return JSON.parse(text.startsWith(BOM) ? text.slice(BOM.length) : text);
}

/**
 * One line saying what is wrong with JSON text that `JSON.parse` refused, and where when V8 says
 * (`at position N`, turned into line and column of `text`). The offending character is named, as
 * itself when printable ASCII and as U+XXXX otherwise.
 */
export function describeJsonError(error: unknown, text?: string): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/Unexpected end of JSON input|Unterminated string/i.test(message)) {
    return 'the text ends in the middle of a value (truncated?)';
  }
  const position = /at position (\d+)/.exec(message);
  if (position) {
    const offset = Number(position[1]);
    if (text === undefined) return `unexpected text at offset ${offset}`;
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - before.lastIndexOf('\n');
    return `unexpected ${nameChar(text.codePointAt(offset))} at line ${line}, column ${column}`;
  }
  const token = /^Unexpected token '(.)'/su.exec(message);
  if (token?.[1] !== undefined) return `unexpected ${nameChar(token[1].codePointAt(0))}`;
  return 'not JSON text';
}

function nameChar(code: number | undefined): string {
  if (code === undefined) return 'end of text';
  if (code > 0x20 && code < 0x7f) return `character '${String.fromCodePoint(code)}'`;
  return `character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}
