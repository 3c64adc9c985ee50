/**
 * A strict RFC 4180 reader for the tests: quoted cells may hold commas, quotes (doubled) and line
 * breaks; records end with CRLF. Throws on anything malformed, so a broken CSV fails the test.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  let quoted = false;
  let cellStarted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 2;
      } else if (c === '"') {
        quoted = false;
        i += 1;
        if (i < text.length && text[i] !== ',' && text[i] !== '\r')
          throw new Error(`text after a closing quote at ${i}`);
      } else {
        cell += c;
        i += 1;
      }
    } else if (c === '"' && !cellStarted) {
      quoted = true;
      cellStarted = true;
      i += 1;
    } else if (c === ',') {
      row.push(cell);
      cell = '';
      cellStarted = false;
      i += 1;
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      cellStarted = false;
      i += 2;
    } else if (c === '"' || c === '\n' || c === '\r') {
      throw new Error(`unquoted ${JSON.stringify(c)} at ${i}`);
    } else {
      cell += c;
      cellStarted = true;
      i += 1;
    }
  }
  if (quoted) throw new Error('unterminated quoted cell');
  if (cellStarted || row.length > 0) throw new Error('last record does not end with CRLF');
  return rows;
}
