import { describe, expect, it } from 'vitest';
import { pluginOutput } from '../../../src/local/ssm-simulator/plugin-output.ts';

const TITLE = '\n----------ERROR-------\n';

describe('pluginOutput (CommandPlugin.Output, 2,500 characters)', () => {
  it('passes short output through and puts stderr after the error title', () => {
    expect(pluginOutput('out', '')).toBe('out');
    expect(pluginOutput('', 'err')).toBe(`${TITLE}err`);
    expect(pluginOutput('out', 'err')).toBe(`out${TITLE}err`);
  });

  it('cuts long stdout with a marker and stays within capacity', () => {
    const out = pluginOutput('x'.repeat(6000), '');
    expect(out).toHaveLength(2500);
    expect(out.endsWith('\n---Output truncated---')).toBe(true);
    expect(out.startsWith('x'.repeat(2000))).toBe(true);
  });

  it('keeps short stderr whole when stdout is cut', () => {
    const out = pluginOutput('x'.repeat(6000), 'boom');
    expect(out).toHaveLength(2500);
    expect(out.endsWith(`\n---Output truncated---${TITLE}boom`)).toBe(true);
  });

  it('cuts long stderr when stdout is short, and both halves when both are long', () => {
    const errOnly = pluginOutput('ok', 'e'.repeat(6000));
    expect(errOnly.startsWith(`ok${TITLE}`)).toBe(true);
    expect(errOnly.endsWith('\n---Error truncated----')).toBe(true);
    expect(errOnly.length).toBeLessThanOrEqual(2500);
    const both = pluginOutput('x'.repeat(6000), 'e'.repeat(6000));
    expect(both).toMatch(/^x+\n---Output truncated---\n----------ERROR-------\ne+\n---Error truncated----$/);
    expect(both.length).toBeLessThanOrEqual(2500);
  });
});
