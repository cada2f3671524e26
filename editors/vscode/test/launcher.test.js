'use strict';
// Which launcher the extension starts, and that it starts it without a shell: a launcher whose
// path is full of shell syntax runs as itself, with exactly the arguments server.js gives.

const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { findLauncher, serverOptions, clientOptions, createClient } = require('../server');

const HOSTILE = 'dir with spaces \'single\' "double" $(touch pwned) `touch pwned2`; echo x | cat & *';

const temps = [];
function tempDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgmap-vscode-'));
  temps.push(dir);
  return dir;
}
test.after(() => temps.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function executable(file, text) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text, { mode: 0o755 });
  return file;
}

test('the configured path wins; a relative one is taken from the first workspace folder', () => {
  const root = tempDir();
  executable(path.join(root, 'bin', 'pgmap'), '#!/bin/sh\n');
  assert.strictEqual(findLauncher('/opt/pgmap/pgmap', [root], { PATH: path.join(root, 'bin') }), '/opt/pgmap/pgmap');
  assert.strictEqual(findLauncher('tools/pgmap', [root, '/elsewhere'], {}), path.join(root, 'tools', 'pgmap'));
  assert.strictEqual(findLauncher('pgmap', [], {}), 'pgmap');
});

test('unset: pgmap on the PATH first, then the pgmap script of a workspace folder', () => {
  const root = tempDir();
  const onPath = executable(path.join(root, 'bin', 'pgmap'), '#!/bin/sh\n');
  const clone = path.join(root, 'clone');
  const script = executable(path.join(clone, 'pgmap'), '#!/bin/sh\n');
  const PATH = ['relative/dir', path.join(root, 'empty'), path.join(root, 'bin')].join(path.delimiter);
  assert.strictEqual(findLauncher('', [clone], { PATH }), onPath);
  assert.strictEqual(findLauncher('  ', [clone], { PATH: '' }), script);
  assert.strictEqual(findLauncher(undefined, [path.join(root, 'empty'), clone], {}), script);
});

test('a pgmap that is not an executable file is passed over; none at all is null', () => {
  const root = tempDir();
  fs.mkdirSync(path.join(root, 'a', 'pgmap'), { recursive: true }); // a directory named pgmap
  fs.mkdirSync(path.join(root, 'b'));
  fs.writeFileSync(path.join(root, 'b', 'pgmap'), '#!/bin/sh\n', { mode: 0o644 }); // not executable
  assert.strictEqual(findLauncher('', [path.join(root, 'a'), path.join(root, 'b')], { PATH: path.join(root, 'a') }), null);
});

test('the server is LAUNCHER language-server over stdio, without a shell, and only file .pgmap documents go to it', () => {
  const options = serverOptions('/x/pgmap');
  assert.deepStrictEqual(options, { command: '/x/pgmap', args: ['language-server'], options: { shell: false } });
  assert.strictEqual(options.transport, undefined, 'a stdio transport would make the client append --stdio');
  assert.deepStrictEqual(clientOptions().documentSelector, [{ scheme: 'file', language: 'pgmap' }]);
  const made = [];
  class FakeLanguageClient {
    constructor(...args) { made.push(args); }
  }
  createClient(FakeLanguageClient, '/x/pgmap', 'watcher');
  assert.deepStrictEqual(made, [['pgmap', 'pgmap language server', options, { documentSelector: clientOptions().documentSelector, synchronize: { fileEvents: 'watcher' } }]]);
});

test('a launcher whose path is shell syntax runs as itself, with exactly the arguments serverOptions gives', () => {
  const root = tempDir();
  const argvFile = path.join(root, 'argv');
  const dir = path.join(root, HOSTILE);
  // the fake launcher records its arguments, one per line, in the file its environment names
  const launcher = executable(path.join(dir, 'pgmap'), '#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done > "$ARGV_FILE"\n');
  assert.strictEqual(findLauncher('', [dir], { PATH: '' }), launcher);
  const options = serverOptions(launcher);
  // how vscode-languageclient's node client spawns an Executable without a transport
  const run = spawnSync(options.command, options.args.slice(0), { ...options.options, cwd: root, env: { ...process.env, ARGV_FILE: argvFile } });
  assert.strictEqual(run.status, 0, String(run.stderr));
  assert.strictEqual(fs.readFileSync(argvFile, 'utf8'), 'language-server\n');
  assert.deepStrictEqual(fs.readdirSync(root).sort(), ['argv', HOSTILE].sort(), 'nothing ran the shell syntax in the path');
});
