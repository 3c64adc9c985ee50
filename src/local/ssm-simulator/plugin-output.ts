/**
 * How the SSM agent folds stdout and stderr into CommandPlugin.Output (ListCommandInvocations):
 * stderr follows a `----------ERROR-------` title, and whatever exceeds the 2,500-character
 * capacity is cut with a `---Output truncated---` / `---Error truncated----` marker, the whole
 * staying within capacity (behaviour of amazon-ssm-agent's TruncateOutput).
 */
export const PLUGIN_OUTPUT_CAPACITY = 2500;
/** GetCommandInvocation: first 24,000 characters of stdout, 8,000 of stderr (API reference). */
export const STANDARD_OUTPUT_CAPACITY = 24_000;
export const STANDARD_ERROR_CAPACITY = 8000;

const ERROR_TITLE = '\n----------ERROR-------\n';
const OUTPUT_CUT = '\n---Output truncated---';
const ERROR_CUT = '\n---Error truncated----';

export function pluginOutput(stdout: string, stderr: string, capacity = PLUGIN_OUTPUT_CAPACITY): string {
  const title = stderr.length > 0 ? ERROR_TITLE : '';
  const room = capacity - title.length;
  if (stdout.length + stderr.length < room) return stdout + title + stderr;
  const half = room / 2;
  if (stdout.length > half && stderr.length > half) {
    const each = Math.floor((room - OUTPUT_CUT.length - ERROR_CUT.length) / 2);
    return stdout.slice(0, each) + OUTPUT_CUT + title + stderr.slice(0, each) + ERROR_CUT;
  }
  if (stdout.length < half) {
    return stdout + title + stderr.slice(0, room - ERROR_CUT.length - stdout.length) + ERROR_CUT;
  }
  return stdout.slice(0, room - OUTPUT_CUT.length - stderr.length) + OUTPUT_CUT + title + stderr;
}
