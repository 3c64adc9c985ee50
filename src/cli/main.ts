import { run } from './run.ts';

// The only place that exits the process (STYLE.md): everything else returns an exit code.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const code = await run(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stdin: () => process.stdin,
  isInteractive: Boolean(process.stderr.isTTY),
  cwd: process.cwd(),
  env: process.env,
});
process.exitCode = code;
