import { AppError } from '../errors.ts';

/** No campaign plan is stored (none saved yet, or all expired). */
export class NoCampaignError extends AppError {
  override name = 'NoCampaignError';

  constructor() {
    super('campaign.none', 'no campaign plan saved yet; make one with `campaign plan`');
  }
}
