// Where things are: the repository, the node package (bin/ wrappers and dist/ bundles), the sample operator.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const NODE_PKG = join(ROOT, 'packages', 'node');
export const NODE_BIN = join(NODE_PKG, 'bin');
export const OPERATOR_DIR = join(ROOT, 'examples', 'sample-operator');
