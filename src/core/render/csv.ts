/**
 * CSV cells (RFC 4180) that are safe to open in a spreadsheet: a cell that starts with `=`, `+`,
 * `-`, `@`, tab or carriage return is prefixed with an apostrophe so it is never read as a formula
 * (OWASP "CSV injection"). Node-supplied text reaches these cells.
 */
export function csvCell(value: string | number | boolean | undefined | null): string {
  if (value === undefined || value === null) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  if (/[",\r\n]/.test(text)) text = `"${text.replace(/"/g, '""')}"`;
  return text;
}

export function csvRow(values: readonly (string | number | boolean | undefined | null)[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}
