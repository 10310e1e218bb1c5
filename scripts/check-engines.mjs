// `npm ci`'s root `preinstall`: one clear line, and exit 1, when Node or npm is older than
// package.json's `engines`. npm runs the root's preinstall after the dependencies' install scripts,
// so it cannot stop npm 10 from running Electron's download (npm 10 ignores `allowScripts`; its
// own EBADENGINE warning, printed first, names the npm needed); it does stop npm ≥ 11.16 on a Node
// that is too old, before the build steps that would fail obscurely.
// Plain JavaScript with no imports beyond Node's: it must run on the old Node it complains about.
import { readFileSync } from 'node:fs';

/** `1.2.3` → [1, 2, 3]; a missing part is 0. */
function parts(version) {
  return version
    .replace(/^v/, '')
    .split('.')
    .map((part) => Number.parseInt(part, 10) || 0)
    .concat([0, 0, 0])
    .slice(0, 3);
}

function atLeast(actual, minimum) {
  const a = parts(actual);
  const m = parts(minimum);
  for (let i = 0; i < 3; i += 1) if (a[i] !== m[i]) return a[i] > m[i];
  return true;
}

/** The minimum of a `>=x.y.z` range, the only form this project's `engines` uses. */
function minimumOf(range) {
  const match = /^>=\s*(\d+(?:\.\d+){0,2})$/.exec(String(range).trim());
  if (!match) throw new Error(`engines: only ">=x.y.z" ranges are understood here, got "${range}"`);
  return match[1];
}

const engines = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
).engines;
// npm puts "npm/11.19.1 node/v20.20.2 linux x64 …" here for every script it runs.
const npmVersion = /\bnpm\/(\d+\.\d+\.\d+)/.exec(process.env.npm_config_user_agent ?? '')?.[1];
const problems = [];
const node = minimumOf(engines.node);
if (!atLeast(process.versions.node, node))
  problems.push(
    `Node ${process.versions.node} is older than ${node}: install Node ${node} or newer`,
  );
const npm = minimumOf(engines.npm);
if (npmVersion !== undefined && !atLeast(npmVersion, npm))
  problems.push(
    `npm ${npmVersion} is older than ${npm} (needed for package.json's allowScripts, which keeps Electron's binary download out of the install): run \`npm install -g npm@11\``,
  );
if (problems.length > 0) {
  console.error(`bn-dropout-lab cannot be installed here: ${problems.join('; ')}.`);
  process.exit(1);
}
