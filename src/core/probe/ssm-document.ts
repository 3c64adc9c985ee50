import { AppError } from '../errors.ts';

/**
 * The stack's own SSM Command document: one `aws:runShellScript` step that runs the probe. The
 * CDK stack reads probe/probe.sh and passes its text here, so what SSM runs on the nodes is the
 * tested script itself, never a second copy.
 */

/** SSM's limit on a document's content (64 KB). */
export const SSM_DOCUMENT_MAX_BYTES = 64 * 1024;

/**
 * The run's outer bound: SSM kills the step after this. The probe bounds itself well below it
 * (every command bounded, the whole run within 30 s).
 */
export const PROBE_STEP_TIMEOUT_SECONDS = 60;

export const PROBE_STEP_NAME = 'probe';

export interface RunShellScriptStep {
  readonly action: 'aws:runShellScript';
  readonly name: string;
  readonly precondition: { readonly StringEquals: readonly ['platformType', 'Linux'] };
  readonly inputs: {
    /** The script's lines; SSM joins them with newlines into the script file it runs. */
    readonly runCommand: readonly string[];
    readonly timeoutSeconds: number;
  };
}

export interface ProbeDocumentContent {
  readonly schemaVersion: '2.2';
  readonly description: string;
  readonly mainSteps: readonly [RunShellScriptStep];
}

/**
 * Builds the document content for the probe script's text. Throws an AppError
 * (`probe-document.invalid`) when the text is empty, holds a carriage return or a NUL byte
 * (it would not survive the round trip through SSM as written), or makes the document exceed
 * SSM's size limit.
 */
export function buildProbeDocument(scriptText: string): ProbeDocumentContent {
  if (scriptText.trim() === '') {
    throw new AppError('probe-document.invalid', 'probe script is empty');
  }
  if (scriptText.includes('\r') || scriptText.includes('\0')) {
    throw new AppError('probe-document.invalid', 'probe script holds a carriage return or NUL byte');
  }
  // One command per line. The final newline would add an empty last command: it is left out, so
  // the lines joined with "\n" (as SSM writes them to the file sh runs) give the script back.
  const body = scriptText.endsWith('\n') ? scriptText.slice(0, -1) : scriptText;
  const content: ProbeDocumentContent = {
    schemaVersion: '2.2',
    description:
      'fleet-compliance probe: prints systemd, docker, containerd, runc, kernel and kubelet facts ' +
      '(probe output format 1). Read-only, every command time-bounded.',
    mainSteps: [
      {
        action: 'aws:runShellScript',
        name: PROBE_STEP_NAME,
        precondition: { StringEquals: ['platformType', 'Linux'] },
        inputs: { runCommand: body.split('\n'), timeoutSeconds: PROBE_STEP_TIMEOUT_SECONDS },
      },
    ],
  };
  const bytes = new TextEncoder().encode(JSON.stringify(content)).length;
  if (bytes > SSM_DOCUMENT_MAX_BYTES) {
    throw new AppError(
      'probe-document.invalid',
      `probe document is ${bytes} bytes, over SSM's limit of ${SSM_DOCUMENT_MAX_BYTES}`,
    );
  }
  return content;
}
