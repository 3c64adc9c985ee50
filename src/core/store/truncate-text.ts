/** Marks a value cut to fit its bound, so a reader never mistakes it for the whole text. */
export const TRUNCATION_MARK = '…';

/**
 * Cuts `text` to at most `maxChars` UTF-16 units, the last being the truncation mark. Never splits
 * a surrogate pair: a lone surrogate is not valid UTF-8 and DynamoDB would reject or alter it.
 */
export function truncateText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  if (maxChars <= 0) return '';
  let end = maxChars - TRUNCATION_MARK.length;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return text.slice(0, Math.max(0, end)) + TRUNCATION_MARK;
}
