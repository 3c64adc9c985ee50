/**
 * ASCII character classes by char code. rpm and dpkg classify bytes with C-locale ctype
 * (rpm's risdigit/risalpha, dpkg's c_isdigit/c_isalpha), so anything outside ASCII is neither.
 */

export function isAsciiDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

export function isAsciiLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

export function isAsciiAlphanumeric(code: number): boolean {
  return isAsciiDigit(code) || isAsciiLetter(code);
}
