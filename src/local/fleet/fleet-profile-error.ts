import { AppError } from '../../core/errors.ts';

/** A recorded probe profile is unusable, or none of the profiles the fleet mix names exist. */
export class FleetProfileError extends AppError {
  override name = 'FleetProfileError';
  readonly profile: string | undefined;

  constructor(code: 'fleet.profile-format' | 'fleet.no-profiles', message: string, profile?: string) {
    super(code, message);
    this.profile = profile;
  }
}
