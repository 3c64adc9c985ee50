import { AppError } from '../errors.ts';

/** The configured table does not exist (wrong name, wrong region, or the stack is not deployed). */
export class TableNotFoundError extends AppError {
  override name = 'TableNotFoundError';
  readonly tableName: string;

  constructor(tableName: string, options?: ErrorOptions) {
    super('store.table-not-found', `table ${tableName} does not exist`, options);
    this.tableName = tableName;
  }
}
