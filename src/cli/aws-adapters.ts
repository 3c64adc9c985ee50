/**
 * The adapters the CLI reaches AWS (or the local servers) through, in one module the commands
 * import on demand: the SDK clients are most of the CLI's load time, and vercmp or evaluate need
 * none of them.
 */
export { createDynamoClients } from '../adapters/dynamodb/create-dynamo-clients.ts';
export { DynamoFleetStore } from '../adapters/dynamodb/dynamo-fleet-store.ts';
export { createSsmClient } from '../adapters/ssm/create-ssm-client.ts';
export { SsmMaintenanceWindows } from '../adapters/ssm/maintenance-windows.ts';
export { createTaggingClient } from '../adapters/tagging/create-tagging-client.ts';
