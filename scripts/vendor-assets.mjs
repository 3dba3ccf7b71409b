// Copies the browser code the Worker's pages load from the installed packages into `public/vendor/`,
// where Workers static assets serve it (wrangler.toml `[assets]`). Runs as the root package's
// `postinstall`, so `npm install` and `npm ci` leave a checkout ready for `npm run dev`, `npm test`
// and `npm run build`; it is plain Node on purpose (it runs before anything else could be relied on).
//
// Each file goes into a directory named after the package's installed version, and the path the
// Worker links (src/lib/openapi.ts) names the same version: a page gets exactly the bundle it was
// written for, or a 404, never another version's file under a cached URL. That is also what lets
// public/_headers cache these files for a year as immutable.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const vendor = join(root, 'public', 'vendor');

/** [package, file inside the package, directory prefix under public/vendor/]. */
const FILES = [
  // Scalar's single-file (UMD) build for the API reference at /docs: no chunks loaded at run time,
  // so a nonce-based script-src needs nothing beyond the page's own origin.
  ['@scalar/api-reference', 'dist/browser/standalone.js', 'scalar-api-reference'],
];

mkdirSync(vendor, { recursive: true });
for (const [name, file, prefix] of FILES) {
  const packageDir = join(root, 'node_modules', name);
  // Read directly: the package's `exports` does not expose its package.json.
  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
  const target = join(vendor, `${prefix}-${version}`);
  // Earlier versions' copies go: nothing links them any more, and they would only grow the upload.
  for (const entry of readdirSync(vendor)) {
    if (entry.startsWith(`${prefix}-`) && entry !== `${prefix}-${version}`) rmSync(join(vendor, entry), { recursive: true, force: true });
  }
  mkdirSync(target, { recursive: true });
  const destination = join(target, file.split('/').at(-1));
  copyFileSync(join(packageDir, file), destination);
  console.log(`vendor-assets: ${name}@${version} ${file} -> ${relative(root, destination)}`);
}
