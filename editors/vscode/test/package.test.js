'use strict';
// What `vsce package` puts into the .vsix is enough to run: the files `vsce ls` lists, copied
// alone into an empty folder, load extension.js and vscode-languageclient/node (with the `vscode`
// module, which VS Code provides, stood in for), and carry the manifest's grammar and language
// configuration; the tests are left out.

const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const Module = require('module');
const { execFileSync } = require('child_process');

const HERE = path.join(__dirname, '..');

test('the files vsce packages load on their own', () => {
  const vsce = path.join(HERE, 'node_modules', '@vscode', 'vsce', 'vsce');
  const files = execFileSync(process.execPath, [vsce, 'ls'], { cwd: HERE, encoding: 'utf8' })
    .split('\n').map((line) => line.trim()).filter((line) => line !== '');
  for (const needed of ['extension.js', 'server.js', 'package.json', 'language-configuration.json', 'syntaxes/pgmap.tmLanguage.json',
    'node_modules/vscode-languageclient/node.js']) {
    assert.ok(files.includes(needed), needed + ' packaged');
  }
  assert.deepStrictEqual(files.filter((f) => f.startsWith('test/') || f.startsWith('target/') || f === 'pom.xml'), []);
  assert.ok(!files.some((f) => f.startsWith('node_modules/@vscode/vsce/')), 'dev dependencies are left out');

  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pgmap-vsix-'));
  try {
    for (const file of files) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.copyFileSync(path.join(HERE, file), path.join(root, file));
    }
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    assert.ok(fs.existsSync(path.join(root, manifest.contributes.grammars[0].path)));
    assert.ok(fs.existsSync(path.join(root, manifest.contributes.languages[0].configuration)));
    JSON.parse(fs.readFileSync(path.join(root, manifest.contributes.languages[0].configuration), 'utf8'));

    // VS Code's API at load time: anything, callable and constructible
    const anything = new Proxy(function vscode() {}, {
      get: (target, property) => (property === 'prototype' ? {} : property === Symbol.toPrimitive ? undefined : anything),
      construct: () => anything,
      apply: () => anything
    });
    const resolve = Module._resolveFilename;
    Module._resolveFilename = function (request, parent, ...rest) {
      if (request === 'vscode') {
        return 'vscode';
      }
      const resolved = resolve.call(this, request, parent, ...rest);
      assert.ok(Module.isBuiltin(resolved) || resolved.startsWith(root + path.sep), `${request} resolved outside the package: ${resolved}`);
      return resolved;
    };
    require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: anything };
    try {
      const extension = require(path.join(root, manifest.main));
      assert.strictEqual(typeof extension.activate, 'function');
      assert.strictEqual(typeof extension.deactivate, 'function');
      assert.strictEqual(typeof require(path.join(root, 'node_modules', 'vscode-languageclient', 'node')).LanguageClient, 'function');
    } finally {
      Module._resolveFilename = resolve;
      delete require.cache.vscode;
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
