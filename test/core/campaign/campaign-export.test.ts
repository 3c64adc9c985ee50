import { describe, expect, it } from 'vitest';
import {
  exportWave,
  MAX_INSTANCE_IDS_PER_REQUEST,
  nodeScript,
} from '../../../src/core/campaign/campaign-export.ts';
import { planCampaign } from '../../../src/core/campaign/plan-campaign.ts';
import { makeState, REEXEC_PENDING, T_PLAN } from './campaign-fixtures.ts';

const runc = (i: number) =>
  makeState({
    node: `i-${i.toString(16).padStart(17, '0')}`,
    findings: [['RUNC-CVE-2024-21626', 'high']],
    tags: { cluster: 'a' },
  });
const states = [
  ...Array.from({ length: 120 }, (_, i) => runc(i)),
  makeState({ node: 'i-00000000000000fff', pending: [REEXEC_PENDING], tags: { cluster: 'a' } }),
  makeState({
    node: 'i-00000000000000ffe',
    pending: [{ id: 'KERNEL-X', action: 'reboot', detail: 'kernel' }],
    tags: { cluster: 'a' },
  }),
  makeState({
    node: 'mi-0000000000000ffd',
    pending: [{ id: 'KERNEL-X', action: 'reboot', detail: 'kernel' }],
    tags: { cluster: 'a' },
  }),
  makeState({
    node: 'i-00000000000000ffc',
    findings: [['CGROUP-DRIVER-MISMATCH', 'medium']],
    tags: { cluster: 'a' },
  }),
];
const plan = planCampaign(states, { id: 'cmp-x', now: T_PLAN, maxUnavailable: { percent: 100 } });

describe('exportWave', () => {
  it('splits SendCommand inputs at 50 instance ids and groups nodes with the same steps', () => {
    const out = exportWave(plan, { wave: 1, format: 'run-command' });
    const ids = out.requests.map((r) => r.InstanceIds as string[]);
    for (const list of ids) expect(list.length).toBeLessThanOrEqual(MAX_INSTANCE_IDS_PER_REQUEST);
    expect(ids.flat().sort()).toEqual(
      states
        .filter((s) => s.node !== 'i-00000000000000ffc')
        .map((s) => s.node)
        .sort(),
    );
    // 120 runc nodes -> 3 requests; the re-exec node and the two reboot nodes -> one each script.
    expect(out.requests).toHaveLength(5);
    for (const r of out.requests)
      expect(r).toMatchObject({ DocumentName: 'AWS-RunShellScript', MaxErrors: '0' });
    expect(out.manual).toEqual([
      {
        node: 'i-00000000000000ffc',
        reason: 'needs a person: change the configuration for CGROUP-DRIVER-MISMATCH',
      },
    ]);
    expect(out.drainFirst).toContain('i-00000000000000ffe');
  });

  it('registers maintenance window tasks by priority = wave, and needs a window id', () => {
    expect(() => exportWave(plan, { wave: 1, format: 'maintenance-window-task' })).toThrow(/window-id/);
    const out = exportWave(plan, {
      wave: 1,
      format: 'maintenance-window-task',
      windowId: 'mw-0123456789abcdef0',
    });
    expect(out.requests[0]).toMatchObject({
      WindowId: 'mw-0123456789abcdef0',
      TaskArn: 'AWS-RunShellScript',
      TaskType: 'RUN_COMMAND',
      Priority: 1,
      Name: expect.stringMatching(/^[a-zA-Z0-9_.-]{3,128}$/),
    });
  });

  it('restarts through automation only EC2 nodes that need nothing but a reboot', () => {
    const out = exportWave(plan, { wave: 1, format: 'ssm-automation' });
    expect(out.requests).toEqual([
      expect.objectContaining({
        DocumentName: 'AWS-RestartEC2Instance',
        TargetParameterName: 'InstanceId',
        Targets: [{ Key: 'ParameterValues', Values: ['i-00000000000000ffe'] }],
        MaxErrors: '0',
      }),
    ]);
    expect(out.manual.map((m) => m.node)).toContain('mi-0000000000000ffd');
  });

  it('names the waves there are when asked for one that is not', () => {
    expect(() => exportWave(plan, { wave: 2, format: 'run-command' })).toThrow(
      'wave "2": the plan has waves 1 to 1',
    );
  });

  it('writes a script that reboots through exit 194 once and ends after the reboot', () => {
    const node = plan.waves[0]!.nodes.find((n) => n.node === 'i-00000000000000ffe')!;
    const script = nodeScript(plan, 1, node.actions);
    expect(script[2]).toMatch(
      /^if \[ -f '\/var\/lib\/fleet-compliance\/cmp-x-wave-1\.rebooted' \]; then rm -f .*; exit 0; fi$/,
    );
    expect(script.slice(-2)).toEqual([
      "mkdir -p /var/lib/fleet-compliance && touch '/var/lib/fleet-compliance/cmp-x-wave-1.rebooted'",
      'exit 194',
    ]);
  });
});

describe('nodeScript syntax', () => {
  it('parses with sh -n for every step combination of the examples', async () => {
    const { spawnSync } = await import('node:child_process');
    const sh = spawnSync('sh', ['-c', 'exit 0']);
    if (sh.error) return; // no POSIX shell here: nothing to check against
    const varied = planCampaign(
      [
        makeState({
          node: 'i-1',
          findings: [
            ['SYSTEMD-DBUS-COOKIE-OVERFLOW', 'high', true],
            ['RUNC-CVE-2019-5736', 'critical'],
          ],
        }),
        makeState({ node: 'i-2', findings: [['KUBELET-PLEG-RELIST-DEADLOCK', 'high']] }),
        makeState({ node: 'i-3', pending: [{ id: 'K', action: 'reboot', detail: 'kernel' }] }),
      ],
      { id: 'cmp-sh', now: T_PLAN, maxUnavailable: { percent: 100 } },
    );
    for (const node of varied.waves[0]!.nodes) {
      const result = spawnSync('sh', ['-n'], { input: nodeScript(varied, 1, node.actions).join('\n') });
      expect(result.status, String(result.stderr)).toBe(0);
    }
  });
});
