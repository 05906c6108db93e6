// Prepares the compatibility runs (npm run test:compat), after `npm run build && npm run build:apps`:
// packs the library as a user would get it, installs it beside NestJS 11 (compat/nest11, where the
// e2e fixtures are copied), in a NestJS 12 consumer project (compat/consumer, ESM + CommonJS) and in
// a project shaped as `nest new` generates it (compat/nest-new: NestJS 11, CommonJS, ts-jest).
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const compat = dirname(fileURLToPath(import.meta.url));
const root = dirname(compat);
const run = (command, args, cwd) => execFileSync(command, args, { cwd, stdio: 'inherit' });

for (const file of readdirSync(compat).filter((name) => name.endsWith('.tgz'))) rmSync(join(compat, file));
run('npm', ['pack', '--silent', '--pack-destination', compat], root);
const tarball = readdirSync(compat).find((name) => name.endsWith('.tgz'));

for (const project of ['nest11', 'consumer', 'nest-new']) {
  const dir = join(compat, project);
  run('npm', ['ci', '--no-audit', '--no-fund'], dir);
  // Copied, not linked: the library must resolve @nestjs/* from this project's node_modules.
  run('npm', ['install', '--no-save', '--no-audit', '--no-fund', join(compat, tarball)], dir);
}

rmSync(join(compat, 'nest11', 'build'), { recursive: true, force: true });
cpSync(join(root, 'build'), join(compat, 'nest11', 'build'), { recursive: true });
// Both builds in one process, on NestJS 12 (ES modules) and on NestJS 11 (CommonJS).
for (const project of ['consumer', 'nest-new']) {
  cpSync(join(root, 'test', 'compat', 'fixtures', 'dual-build-app.cjs'), join(compat, project, 'dual-build-app.cjs'));
}
run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(compat, 'consumer', 'tsconfig.json')], root);
console.log(`compat: ${tarball} installed beside NestJS 11, in the NestJS 12 consumer and in the nest-new project`);
