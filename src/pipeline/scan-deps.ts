import type { Catalog } from '../core/advisory/catalog.ts';
import type { ScanSettings } from '../core/scan/scan-settings.ts';
import type { FleetStore } from '../core/store/fleet-store.ts';
import type { Clock, FleetCommands, ProgressListener, ScanScratch, TargetDirectory } from './ports.ts';

/** Everything a scan step needs, injected (Lambdas build it from env, the local runner from its servers). */
export interface ScanDeps {
  readonly store: FleetStore;
  readonly fleet: FleetCommands;
  readonly directory: TargetDirectory;
  readonly scratch: ScanScratch;
  readonly clock: Clock;
  readonly catalog: Catalog;
  readonly settings: ScanSettings;
  /** How long one collect pass may run before it hands a cursor back (a Lambda has 15 minutes). */
  readonly collectBudgetMs?: number;
  readonly onProgress?: ProgressListener;
}
