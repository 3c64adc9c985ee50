import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/core/errors.ts';
import {
  buildProbeDocument,
  PROBE_STEP_NAME,
  SSM_DOCUMENT_MAX_BYTES,
} from '../../../src/core/probe/ssm-document.ts';

const PROBE_TEXT = readFileSync(new URL('../../../probe/probe.sh', import.meta.url), 'utf8');

describe('buildProbeDocument', () => {
  it('runs the probe script as one aws:runShellScript step on Linux only', () => {
    const document = buildProbeDocument(PROBE_TEXT);
    expect(document.schemaVersion).toBe('2.2');
    expect(document.mainSteps).toHaveLength(1);
    const [step] = document.mainSteps;
    expect(step.action).toBe('aws:runShellScript');
    expect(step.name).toBe(PROBE_STEP_NAME);
    expect(step.precondition).toEqual({ StringEquals: ['platformType', 'Linux'] });
    expect(step.inputs.timeoutSeconds).toBeGreaterThanOrEqual(30);
  });

  it('gives back the exact probe text when its lines are joined', () => {
    const { runCommand } = buildProbeDocument(PROBE_TEXT).mainSteps[0].inputs;
    expect(PROBE_TEXT.endsWith('\n')).toBe(true);
    expect(`${runCommand.join('\n')}\n`).toBe(PROBE_TEXT);
    expect(runCommand[0]).toBe('#!/bin/sh');
    expect(runCommand.at(-1)).toBe('exit 0');
  });

  it('keeps a script without a final newline as it is', () => {
    const { runCommand } = buildProbeDocument('echo a\necho b').mainSteps[0].inputs;
    expect(runCommand).toEqual(['echo a', 'echo b']);
  });

  it('stays well under the 64 KB SSM document limit', () => {
    const bytes = Buffer.byteLength(JSON.stringify(buildProbeDocument(PROBE_TEXT)));
    expect(bytes).toBeLessThan(SSM_DOCUMENT_MAX_BYTES / 2);
  });

  it('is pure: the same text gives equal documents', () => {
    expect(buildProbeDocument(PROBE_TEXT)).toEqual(buildProbeDocument(PROBE_TEXT));
  });

  it.for([
    ['an empty script', ''],
    ['a blank script', ' \n\n'],
    ['CRLF line endings', '#!/bin/sh\r\necho x\r\n'],
    ['a NUL byte', '#!/bin/sh\necho \0\n'],
  ] as const)('refuses %s', ([, text]) => {
    expect(() => buildProbeDocument(text)).toThrow(AppError);
  });

  it('refuses a script that would make the document exceed SSM’s limit', () => {
    const huge = `#!/bin/sh\n${'# padding\n'.repeat(7000)}`;
    expect(() => buildProbeDocument(huge)).toThrow(/over SSM's limit/);
  });
});
