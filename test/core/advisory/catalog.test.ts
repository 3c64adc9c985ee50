import { describe, expect, it } from 'vitest';
import { builtinCatalog } from '../../../src/core/advisory/builtin-catalog.ts';
import { mergeCatalogs, parseCatalog, selectAdvisories } from '../../../src/core/advisory/catalog.ts';
import { InvalidAdvisoryError } from '../../../src/core/advisory/errors.ts';

const VALID = {
  id: 'MY-RUNC-CHECK',
  title: 'runc below 1.2.0',
  summary: 'site policy',
  severity: 'medium',
  components: ['runc'],
  match: { version: { component: 'runc', ranges: [{ fixed: '1.2.0' }] } },
  remediation: 'upgrade runc',
  actions: ['upgrade'],
  rebootRequired: false,
  reexecRequired: false,
  references: ['https://example.com/policy'],
};

function load(advisory: Record<string, unknown>) {
  return () => parseCatalog({ schemaVersion: 1, advisories: [advisory] }, 'mine.json');
}

describe('parseCatalog', () => {
  it('loads the built-in catalog with the required ids', () => {
    const ids = builtinCatalog().advisories.map((a) => a.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'SYSTEMD-DBUS-COOKIE-OVERFLOW',
        'KUBELET-PLEG-RELIST-DEADLOCK',
        'RUNC-CVE-2019-5736',
        'RUNC-CVE-2024-21626',
        'RUNC-RC93-INIT-HANG',
        'CONTAINERD-CVE-2020-15257',
        'CGROUP-DRIVER-MISMATCH',
        'CGROUPV2-OLD-RUNTIME',
        'KUBELET-CGROUPV1-REJECTED',
      ]),
    );
  });

  it('accepts a valid user advisory', () => {
    expect(load(VALID)().advisories[0]?.id).toBe('MY-RUNC-CHECK');
  });

  it.for([
    ['a missing field', { ...VALID, remediation: undefined }, /mine\.json: advisory MY-RUNC-CHECK, field remediation/],
    ['a bad severity', { ...VALID, severity: 'severe' }, /field severity/],
    ['an invalid version in a range', { ...VALID, match: { version: { component: 'runc', ranges: [{ fixed: 'abc' }] } } }, /field match\.version\.ranges\[0\]\.fixed: "abc" is not a valid upstream version/],
    ['an empty range', { ...VALID, match: { version: { component: 'runc', ranges: [{}] } } }, /field match\.version\.ranges\[0\]/],
    ['an invalid distro version', { ...VALID, match: { version: { component: 'runc', ranges: [{ fixed: '1.2.0' }], distros: [{ os: ['debian'], versions: ['12'], scheme: 'dpkg', fixed: ':' }] } } }, /distros\[0\]\.fixed/],
    ['a stream that is not a regex', { ...VALID, match: { version: { component: 'runc', ranges: [{ fixed: '1.2.0' }], distros: [{ os: ['debian'], versions: ['12'], scheme: 'dpkg', fixed: '1.0', stream: '(' }] } } }, /distros\[0\]\.stream: not a valid regular expression/],
    ['an unknown component', { ...VALID, components: ['podman'] }, /field components\[0\]/],
    ['an unknown key', { ...VALID, extra: 1 }, /MY-RUNC-CHECK/],
    ['a lower-case id', { ...VALID, id: 'my-check' }, /advisory my-check, field id/],
    ['a nested bad condition', { ...VALID, match: { all: [{ fact: { key: 'cgroup.fs' } }] } }, /MY-RUNC-CHECK/],
    ['no reference', { ...VALID, references: [] }, /field references/],
  ] as const)('rejects %s with an error naming the file, advisory and field', ([, advisory, message]) => {
    expect(load(advisory as Record<string, unknown>)).toThrow(message);
    expect(load(advisory as Record<string, unknown>)).toThrow(InvalidAdvisoryError);
  });

  it('rejects a file that is not a catalog', () => {
    expect(() => parseCatalog([1, 2], 'x.json')).toThrow(/x\.json: field \(root\)/);
    expect(() => parseCatalog({ schemaVersion: 2, advisories: [] }, 'x.json')).toThrow(/field schemaVersion/);
  });

  it('rejects duplicate ids in one file', () => {
    expect(() => parseCatalog({ schemaVersion: 1, advisories: [VALID, VALID] }, 'x.json')).toThrow(/duplicate id/);
  });
});

describe('mergeCatalogs and selectAdvisories', () => {
  it('overrides a built-in advisory by id and appends new ones', () => {
    const override = parseCatalog(
      { schemaVersion: 1, advisories: [{ ...VALID, id: 'RUNC-CVE-2024-21626', severity: 'low' }, VALID] },
      'mine.json',
    );
    const merged = mergeCatalogs(builtinCatalog(), override);
    expect(merged.advisories).toHaveLength(builtinCatalog().advisories.length + 1);
    expect(merged.advisories.find((a) => a.id === 'RUNC-CVE-2024-21626')?.severity).toBe('low');
    expect(merged.sources).toEqual(['advisories/catalog.json', 'mine.json']);
  });

  it('selects by id and refuses unknown ids', () => {
    expect(selectAdvisories(builtinCatalog(), ['RUNC-RC93-INIT-HANG']).advisories).toHaveLength(1);
    expect(() => selectAdvisories(builtinCatalog(), ['NOPE'])).toThrow(/unknown advisory id NOPE/);
  });
});
