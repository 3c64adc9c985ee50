import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// SSM substitutes `{{ name }}` in a Command document's runCommand with document parameters: a
// literal double brace in the probe (Go templates for docker's --format) would not reach the node
// as written. The probe builds those templates at run time instead.
describe('probe/probe.sh inside an SSM document', () => {
  it('contains no double brace SSM would read as a parameter reference', () => {
    const script = readFileSync('probe/probe.sh', 'utf8');
    expect(script.includes('{{')).toBe(false);
    expect(script.includes('}}')).toBe(false);
  });
});
