import { describe, expect, it } from 'vitest';
import { escapeHtml, html, trustedHtml } from '../../../../src/core/report/html/safe-html.ts';

describe('html template', () => {
  it('escapes every interpolated string, in content and in attributes', () => {
    const value = `<a href="x" onclick='y'>&amp;</a>`;
    const out = html`<p title="${value}">${value}</p>`.value;

    expect(out).toBe(
      '<p title="&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;">&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;</p>',
    );
  });

  it('nests its own output unescaped, renders arrays, and drops false, null and undefined', () => {
    const items = ['<1>', '2'].map((x) => html`<li>${x}</li>`);
    expect(html`<ul>${items}${false}${null}${undefined}${true}</ul>`.value).toBe(
      '<ul><li>&lt;1&gt;</li><li>2</li></ul>',
    );
    expect(html`${3000}`.value).toBe('3000');
    expect(html`${trustedHtml('<b>x</b>')}`.value).toBe('<b>x</b>');
  });

  it('shows bidi controls as code points and replaces NUL', () => {
    expect(escapeHtml('a\u202Eb\u2066c\u200Fd\u0000')).toBe('a[U+202E]b[U+2066]c[U+200F]d\uFFFD');
  });
});
