import { describe, expect, it } from 'vitest';
import { TRUNCATION_MARK, truncateText } from '../../../src/core/store/truncate-text.ts';

describe('truncateText', () => {
  it('leaves text within the bound alone', () => {
    expect(truncateText('abc', 3)).toBe('abc');
  });

  it('cuts to the bound, the last character being the mark', () => {
    const cut = truncateText('abcdef', 4);
    expect(cut).toBe(`abc${TRUNCATION_MARK}`);
    expect(cut.length).toBe(4);
  });

  it('never leaves half a surrogate pair behind', () => {
    const cut = truncateText('ab😀cd', 4);
    expect(cut).toBe(`ab${TRUNCATION_MARK}`);
    expect(new TextDecoder().decode(new TextEncoder().encode(cut))).toBe(cut);
  });
});
