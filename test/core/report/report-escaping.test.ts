import { describe, expect, it } from 'vitest';
import { buildReport } from '../../../src/core/report/build-report.ts';
import { REPORT_CSV_COLUMNS, renderReportCsv } from '../../../src/core/report/render-report-csv.ts';
import { renderReportHtml } from '../../../src/core/report/render-report-html.ts';
import { renderReportJson } from '../../../src/core/report/render-report-json.ts';
import type { NodeState } from '../../../src/core/store/node-state.ts';
import { HOSTILE_PRETTY_NAMES, HOSTILE_VALUES } from '../../../src/local/fleet/hostile-values.ts';
import { parseCsv } from './csv-parse.ts';
import { countStatuses, nodeState, scanRun } from './report-fixtures.ts';

const T1 = '2025-03-01T00:00:00.000Z';
const T2 = '2025-03-02T00:00:00.000Z';
const NOW = new Date('2025-03-02T12:00:00.000Z');

/** The brief's attacks, placed in every node-supplied field a report shows. */
const ATTACKS = {
  hyperlink: '=HYPERLINK("http://evil.example","x")',
  script: '<script>alert(1)</script>',
  img: '<img src=x onerror=alert(1)>',
  style: '</style><style>body{display:none}</style>',
  minus: '-2+3',
  at: '@SUM(1)',
  plus: '+cmd|calc',
  quotes: `cluster "a" 'b' "><b>bold</b>`,
  tab: '\t=1+1',
  cr: '\r=1+1',
  bidi: 'evil\u202Egnp.exe',
} as const;

function hostileHistories(): NodeState[][] {
  const states: NodeState[] = [
    nodeState({
      node: 'n-1',
      runId: 'r2',
      at: T2,
      hostname: ATTACKS.hyperlink,
      findings: [['SYSTEMD-DBUS-COOKIE-OVERFLOW', 'high', true]],
      facts: { os: ATTACKS.script, kernel: ATTACKS.style, systemd: ATTACKS.minus, runc: ATTACKS.at },
      tags: { cluster: ATTACKS.quotes, Name: ATTACKS.img },
    }),
    nodeState({
      node: `n-2 ${ATTACKS.img}`,
      runId: 'r2',
      at: T2,
      hostname: ATTACKS.bidi,
      status: 'PENDING_REBOOT',
      pending: [{ id: 'SYSTEMD-DBUS-COOKIE-OVERFLOW', action: 'reboot', detail: ATTACKS.script }],
      facts: { os: ATTACKS.img, kernel: ATTACKS.plus, systemd: ATTACKS.tab },
      tags: { cluster: ATTACKS.img },
    }),
    nodeState({
      node: ATTACKS.at,
      runId: 'r2',
      at: T2,
      hostname: ATTACKS.cr,
      status: 'UNREACHABLE',
      ssmStatus: `"><svg onload=alert(1)>`,
      reasons: [ATTACKS.style],
      tags: { cluster: ATTACKS.hyperlink },
    }),
    nodeState({
      node: 'n-4',
      runId: 'r2',
      at: T2,
      status: 'UNKNOWN',
      hostname: ATTACKS.quotes,
      reasons: [ATTACKS.script],
      facts: { os: ATTACKS.minus },
    }),
  ];
  // The recorded fleet's own injection strings, one node each, in hostname, OS and cluster.
  HOSTILE_VALUES.forEach((value, i) => {
    states.push(
      nodeState({
        node: `h-${i}`,
        runId: 'r2',
        at: T2,
        hostname: value,
        facts: { os: HOSTILE_PRETTY_NAMES[i % HOSTILE_PRETTY_NAMES.length]!, kernel: value },
        tags: { cluster: value },
        findings: [['RUNC-CVE-2024-21626', 'high']],
      }),
    );
  });
  const history = states.map((s) => [s]);
  // One hostile node changed since r1 (so it shows in the change tables too).
  history[0]!.push(
    nodeState({
      node: 'n-1',
      runId: 'r1',
      at: T1,
      hostname: ATTACKS.hyperlink,
      tags: { cluster: ATTACKS.quotes },
    }),
  );
  // One was not seen in the latest scan.
  history.push([
    nodeState({
      node: 'gone',
      runId: 'r1',
      at: T1,
      hostname: ATTACKS.script,
      tags: { cluster: ATTACKS.style },
    }),
  ]);
  return history;
}

function hostileReport() {
  const histories = hostileHistories();
  const latest = histories.map((h) => h[0]!).filter((s) => s.runId === 'r2');
  return buildReport({
    runs: [
      scanRun('r1', T1, 'COMPLETE', { byStatus: { COMPLIANT: 2 } }),
      scanRun('r2', T2, 'COMPLETE', { byStatus: countStatuses(latest), missing: [ATTACKS.script] }),
    ],
    histories,
    now: NOW,
    title: `Report ${ATTACKS.script}`,
  });
}

/** Every tag of the page (escaped text can hold no `<`, so each `<` starts real markup). */
function tagsOf(page: string): string[] {
  return page.match(/<[^>]*>/g) ?? [];
}

const ALLOWED_ATTRIBUTES = new Set([
  'lang',
  'charset',
  'http-equiv',
  'content',
  'name',
  'class',
  'id',
  'href',
  'style',
  'role',
  'aria-label',
  'xmlns',
  'viewBox',
  'preserveAspectRatio',
  'x',
  'y',
  'x1',
  'x2',
  'y1',
  'y2',
  'width',
  'height',
  'rx',
  'fill',
  'stroke',
  'stroke-width',
  'text-anchor',
]);

describe('report rendering with hostile node values', () => {
  const report = hostileReport();
  const page = renderReportHtml(report);

  it('writes no script, image, frame or event handler into the HTML', () => {
    expect(page.toLowerCase()).not.toContain('<script');
    expect(page.toLowerCase()).not.toContain('<img');
    expect(page.toLowerCase()).not.toContain('<iframe');
    expect(/<svg(?! class="chart)/.test(page)).toBe(false);
    expect(page.includes('<b>bold')).toBe(false);
  });

  it('closes the stylesheet exactly once (a </style> value cannot end it early)', () => {
    expect(page.match(/<\/style/gi)).toHaveLength(1);
    expect(page.match(/<style/gi)).toHaveLength(1);
  });

  it('keeps every tag to the attributes the renderer writes, with in-page links only', () => {
    for (const tag of tagsOf(page)) {
      if (tag.startsWith('<!') || tag.startsWith('</')) continue;
      const attributes = [...tag.matchAll(/\s([^\s="'<>/]+)="[^"]*"/g)].map((m) => m[1]!);
      for (const attribute of attributes)
        expect(ALLOWED_ATTRIBUTES, `${attribute} in ${tag}`).toContain(attribute);
      // Nothing after the quoted attributes but the tag's end: no unquoted attribute slipped in.
      expect(tag.replace(/\s[^\s="'<>/]+="[^"]*"/g, ''), tag).toMatch(/^<[a-zA-Z][\w-]*\s*\/?>$/);
    }
    const hrefs = [...page.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!);
    expect(hrefs.length).toBeGreaterThan(0);
    for (const href of hrefs) expect(href).toMatch(/^#[a-z-]+$/);
  });

  it('shows each attack as escaped text, in content, attributes and SVG titles alike', () => {
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('=HYPERLINK(&quot;http://evil.example&quot;,&quot;x&quot;)');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).toContain('&lt;/style&gt;&lt;style&gt;body{display:none}&lt;/style&gt;');
    expect(page).toContain('cluster &quot;a&quot; &#39;b&#39; &quot;&gt;&lt;b&gt;bold&lt;/b&gt;');
    expect(page).toContain('&quot;&gt;&lt;svg onload=alert(1)&gt;');
    expect(page).toContain('-2+3');
    expect(page).toContain('@SUM(1)');
    // The title is escaped in <title> and <h1>.
    expect(page).toContain('<title>Report &lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('shows bidirectional controls as code points instead of letting them reorder the text', () => {
    expect(page).not.toContain('\u202E');
    expect(page).toContain('evil[U+202E]gnp.exe');
  });

  it('puts the Content-Security-Policy first in the head and loads nothing', () => {
    const head = page.slice(page.indexOf('<head>'), page.indexOf('</head>'));
    expect(head.indexOf('http-equiv="Content-Security-Policy"')).toBeLessThan(head.indexOf('<style'));
    expect(head).toContain(
      'content="default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;; img-src data:;',
    );
    // Inside markup (escaped text may mention anything): no loading attribute, no URL but the SVG namespace.
    const markup = tagsOf(page).join('\n');
    expect(/\s(src|srcset|action|formaction|data|xlink:href)=/i.test(markup)).toBe(false);
    expect(/https?:\/\/(?!www\.w3\.org\/2000\/svg")/.test(markup)).toBe(false);
    const css = page.slice(page.indexOf('<style>'), page.indexOf('</style>'));
    expect(/url\(|@import|@font-face/i.test(css)).toBe(false);
  });

  it('neutralises every formula cell of the CSV and keeps the values otherwise intact', () => {
    const rows = parseCsv(renderReportCsv(report));
    const [header, ...body] = rows;

    expect(header).toEqual([...REPORT_CSV_COLUMNS]);
    expect(body).toHaveLength(report.nodes.length + report.notInLatestScan.length);
    for (const row of body) {
      expect(row).toHaveLength(REPORT_CSV_COLUMNS.length);
      for (const cell of row) expect(cell, JSON.stringify(cell)).not.toMatch(/^[=+\-@\t\r]/);
    }
    const byNode = new Map(body.map((row) => [row[0]!, row]));
    const column = (name: (typeof REPORT_CSV_COLUMNS)[number]) => REPORT_CSV_COLUMNS.indexOf(name);
    const n1 = byNode.get('n-1')!;
    expect(n1[column('hostname')]).toBe(`'${ATTACKS.hyperlink}`);
    expect(n1[column('os')]).toBe(ATTACKS.script);
    expect(n1[column('systemd')]).toBe(`'${ATTACKS.minus}`);
    expect(n1[column('runc')]).toBe(`'${ATTACKS.at}`);
    expect(n1[column('cluster')]).toBe(ATTACKS.quotes);
    const n2 = byNode.get(`n-2 ${ATTACKS.img}`)!;
    expect(n2[column('kernel')]).toBe(`'${ATTACKS.plus}`);
    expect(n2[column('systemd')]).toBe(`'${ATTACKS.tab}`);
    const at = byNode.get(`'${ATTACKS.at}`)!;
    expect(at[column('hostname')]).toBe(`'${ATTACKS.cr}`);
    expect(at[column('cluster')]).toBe(`'${ATTACKS.hyperlink}`);
    expect(byNode.get('n-4')![column('os')]).toBe(`'${ATTACKS.minus}`);
    expect(byNode.get('gone')![column('in_latest_scan')]).toBe('no');
  });

  it('keeps the JSON inert in HTML yet exact when parsed', () => {
    const json = renderReportJson(report);

    expect(json).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(report)));
  });
});
