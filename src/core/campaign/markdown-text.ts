/**
 * Text safe inside a Markdown table cell or paragraph: control characters (newlines included)
 * become spaces, and the characters that could end the cell (`|`), open a link or image (`[`,
 * `]`), raw HTML or an autolink (`<`, `>`), an entity (`&`), a code span or emphasis (`` ` ``, `*`,
 * `_`, `~`) or escape the next one (`\`) are backslash-escaped (CommonMark allows a backslash
 * before any ASCII punctuation). Other characters stay as they are, so the raw text still reads
 * well when a ticket system does not render Markdown.
 */
export function markdownText(value: string): string {
  return value
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ')
    .replace(/[\\`*_[\]<>|~&]/g, (c) => `\\${c}`);
}
