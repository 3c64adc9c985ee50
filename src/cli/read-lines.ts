import type { Readable } from 'node:stream';
import { MAX_LINE_LENGTH } from '../core/probe/probe-format.ts';

/** One line of input, and whether a newline ended it (the last line of cut input has none). */
export interface BoundedLine {
  readonly text: string;
  readonly terminated: boolean;
}

/**
 * Yields the lines of a stream without ever holding more than one bounded line: characters past
 * MAX_LINE_LENGTH + 1 are dropped (the parser then treats the line as garbage). Input that is not
 * UTF-8 decodes to replacement characters; nothing here throws on content.
 */
export async function* readBoundedLines(stream: Readable): AsyncGenerator<string> {
  for await (const line of readBoundedLineRecords(stream)) yield line.text;
}

/** Like readBoundedLines, but says of each line whether a newline ended it. */
export async function* readBoundedLineRecords(stream: Readable): AsyncGenerator<BoundedLine> {
  stream.setEncoding('utf8');
  let line = '';
  let overflow = false;
  for await (const chunk of stream as AsyncIterable<string>) {
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf('\n', start);
      const end = nl === -1 ? chunk.length : nl;
      if (!overflow) {
        line += chunk.slice(start, Math.min(end, start + MAX_LINE_LENGTH + 1 - line.length));
        if (line.length > MAX_LINE_LENGTH) overflow = true;
      }
      if (nl === -1) break;
      yield { text: line, terminated: true };
      line = '';
      overflow = false;
      start = nl + 1;
    }
  }
  if (line.length > 0) yield { text: line, terminated: false };
}
