import { AppError } from '../errors.ts';

/** No maintenance window has this id or name; the message lists the closest names there are. */
export class MaintenanceWindowNotFoundError extends AppError {
  override name = 'MaintenanceWindowNotFoundError';
  readonly window: string;
  readonly suggestions: readonly string[];

  constructor(window: string, suggestions: readonly string[], options?: ErrorOptions) {
    const hint =
      suggestions.length === 0
        ? 'there is no maintenance window in this account and region'
        : `did you mean ${suggestions.join(', ')}?`;
    super(
      'window.not-found',
      `no maintenance window named or with id ${JSON.stringify(window)}; ${hint}`,
      options,
    );
    this.window = window;
    this.suggestions = suggestions;
  }
}
