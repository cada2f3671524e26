'use strict';
// The extension's server, started the way the extension starts it: the repository's ./pgmap as
// server.js finds it, with serverOptions' command and arguments, spawned as vscode-languageclient
// spawns an Executable, spoken to over stdio with the client's own JSON-RPC library. Opening
// test_hmm's v6.0 spec (from a folder whose name is shell syntax) must bring the model checker's R1
// on line 33, `spin_unlock(mdevice_lock)` in page_free, where `./pgmap check` reports it.

const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');
const { pathToFileURL } = require('url');
const rpc = require('vscode-languageserver-protocol/node');
const { findLauncher, serverOptions } = require('../server');

const REPO = path.resolve(__dirname, '..', '..', '..');
const RACY = path.join(REPO, 'examples', 'test_hmm', 'v6_0.pgmap');
const HOSTILE = 'a spec folder \'quoted\' "double" $(touch pwned) `touch pwned2`; echo x | cat &';

function withTimeout(promise, millis, what, log) {
  let timer;
  return Promise.race([
    promise,
    new Promise((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: nothing within ${millis / 1000} s; server stderr:\n${log()}`)), millis);
    })
  ]).finally(() => clearTimeout(timer));
}

test('the server the extension starts publishes the model check\'s R1 for the racy v6.0 spec', { timeout: 300000 }, async () => {
  const launcher = findLauncher('', [REPO], { PATH: '' });
  assert.strictEqual(launcher, path.join(REPO, 'pgmap'), 'the repository\'s own launcher');

  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pgmap-vscode-lsp-'));
  const folder = path.join(root, HOSTILE);
  fs.mkdirSync(folder);
  const file = path.join(folder, 'v6_0 $(id).pgmap');
  const text = fs.readFileSync(RACY, 'utf8');
  fs.writeFileSync(file, text);
  const uri = pathToFileURL(file).href;
  const folderUri = pathToFileURL(folder).href;

  const options = serverOptions(launcher);
  const server = spawn(options.command, options.args.slice(0), { ...options.options, cwd: folder });
  let stderr = '';
  server.stderr.on('data', (data) => { stderr += data.toString(); });
  const exited = new Promise((resolve) => server.on('exit', (code, signal) => resolve({ code, signal })));
  const connection = rpc.createMessageConnection(new rpc.StreamMessageReader(server.stdout), new rpc.StreamMessageWriter(server.stdin));

  const published = new Map();
  let onPublish = () => {};
  connection.onNotification('textDocument/publishDiagnostics', (params) => {
    published.set(params.uri, params.diagnostics);
    onPublish();
  });
  // a server may ask the client things (configuration, registrations): answer as a plain client
  connection.onRequest(() => null);
  connection.listen();
  try {
    const init = await withTimeout(connection.sendRequest('initialize', {
      processId: process.pid,
      clientInfo: { name: 'pgmap extension test' },
      rootUri: folderUri,
      workspaceFolders: [{ uri: folderUri, name: HOSTILE }],
      capabilities: { textDocument: { publishDiagnostics: { relatedInformation: true } } }
    }), 240000, 'initialize', () => stderr);
    assert.ok(init.capabilities.textDocumentSync !== undefined, JSON.stringify(init.capabilities));
    connection.sendNotification('initialized', {});
    connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'pgmap', version: 1, text } });

    const r1 = await withTimeout(new Promise((resolve) => {
      onPublish = () => {
        const found = (published.get(uri) || []).find((d) => d.code === 'R1');
        if (found) {
          resolve(found);
        }
      };
      onPublish();
    }), 120000, 'a diagnostic R1 for ' + uri + ' (got ' + JSON.stringify([...published.entries()]) + ')', () => stderr);
    assert.strictEqual(r1.severity, 1, 'an error');
    assert.strictEqual(r1.range.start.line, 32, 'line 33: ' + JSON.stringify(r1));
    assert.strictEqual(r1.range.start.character, 2, JSON.stringify(r1));
    assert.match(r1.message, /R1 free-refcount/);
    assert.match(text.split('\n')[32], /spin_unlock\(mdevice_lock\)/);

    await withTimeout(connection.sendRequest('shutdown'), 30000, 'shutdown', () => stderr);
    connection.sendNotification('exit');
    const end = await withTimeout(exited, 30000, 'the server\'s exit', () => stderr);
    assert.strictEqual(end.code, 0, 'exit code; stderr:\n' + stderr);
    // the server's build generates into src-gen/ of the folder; nothing else may appear
    assert.deepStrictEqual(fs.readdirSync(folder).filter((name) => name !== 'src-gen'), ['v6_0 $(id).pgmap'],
      'nothing ran the shell syntax in the names');
    assert.deepStrictEqual(fs.readdirSync(root), [HOSTILE]);
  } finally {
    connection.dispose();
    server.kill();
    fs.rmSync(root, { recursive: true, force: true });
  }
});
