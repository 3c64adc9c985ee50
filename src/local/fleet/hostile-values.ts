/**
 * Injection attempts a compromised or mischievous node can put in the values it reports. All stay
 * within format 1 (one line, at most 256 characters): a root shell on the node controls its output,
 * not the framing. Reports must escape every one of them (DESIGN §5).
 */
export const HOSTILE_VALUES: readonly string[] = [
  // CSV / spreadsheet formula injection (leading =, +, -, @).
  '=HYPERLINK("http://evil.example","x")',
  "+cmd|' /C calc'!A0",
  "-2+3+cmd|' /C calc'!A0",
  "@SUM(1+1)*cmd|' /C calc'!A0",
  '=1+1',
  // HTML / script injection.
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "' onmouseover='alert(1)",
  // Quotes, commas and separators that break naive CSV / TSV / JSON building.
  '"quoted, with commas", and "more"',
  'tab\there;semi;colon',
  // Newline attempts that survive a line-based format: escaped forms and Unicode separators.
  'line1\\nline2\\r\\ninjected=1',
  'para\u2028graph\u2029sep',
  '%0d%0aSet-Cookie: x=1',
  // Display spoofing and template / path tricks.
  'evil\u202Egnp.exe',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal text is the attack.
  '{{7*7}}${7*7}<%= 7*7 %>',
  '../../../../etc/passwd',
  "'; DROP TABLE nodes; --",
];

/** Values meant for `os.pretty_name`: the same attacks, shaped like an OS name. */
export const HOSTILE_PRETTY_NAMES: readonly string[] = [
  '<script>alert(1)</script>',
  '=HYPERLINK("http://evil.example","Ubuntu")',
  '+Ubuntu 22.04 LTS',
  '-Debian GNU/Linux 12',
  '@Amazon Linux 2023',
  '"CentOS, Linux" 7',
  'Ubuntu\u2028injected=1',
];
