import { AppError } from '../errors.ts';

/** Window names are not unique in SSM: several windows carry this one, so the id must be given. */
export class AmbiguousWindowNameError extends AppError {
  override name = 'AmbiguousWindowNameError';
  readonly window: string;
  readonly windowIds: readonly string[];

  constructor(window: string, windowIds: readonly string[]) {
    super(
      'window.ambiguous',
      `${windowIds.length} maintenance windows are named ${JSON.stringify(window)} (${windowIds.join(', ')}); pass the window id instead`,
    );
    this.window = window;
    this.windowIds = windowIds;
  }
}
