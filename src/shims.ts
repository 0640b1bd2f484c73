// CommonJS globals some bundled dependencies still read (write-file-atomic names its
// temporary files after __filename; tfjs's wasm glue reads __dirname). An ES module
// bundle has neither, so define them from this bundle's own location (dist/bundle/index.js,
// so __dirname is dist/bundle/, where the build puts the .wasm files). Import first.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const self = globalThis as { __filename?: string; __dirname?: string };
self.__filename ??= fileURLToPath(import.meta.url);
self.__dirname ??= dirname(self.__filename);
