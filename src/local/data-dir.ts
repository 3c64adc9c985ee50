/** Where local mode keeps its data between commands (git-ignored). Imports nothing: the CLI reads it at start-up. */
export const DEFAULT_DATA_DIR = '.fleet-compliance';
