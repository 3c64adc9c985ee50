import { AppError } from '../errors.ts';

/** A campaign setting (max unavailable, group key, id, wave number...) is not valid. */
export class InvalidCampaignSettingError extends AppError {
  override name = 'InvalidCampaignSettingError';
  readonly setting: string;
  readonly value: string;

  constructor(setting: string, value: string, problem: string) {
    super('campaign.invalid-setting', `${setting} ${JSON.stringify(value)}: ${problem}`);
    this.setting = setting;
    this.value = value;
  }
}
