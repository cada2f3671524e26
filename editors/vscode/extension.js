'use strict';
// The VS Code side: starts pgmap's language server for .pgmap files (see server.js) and restarts
// it when the pgmap.path setting changes.

const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');
const server = require('./server');

let client = null;
let watcher = null;

async function start() {
  const folders = (vscode.workspace.workspaceFolders || [])
    .filter((folder) => folder.uri.scheme === 'file')
    .map((folder) => folder.uri.fsPath);
  const configured = vscode.workspace.getConfiguration('pgmap').get('path', '');
  const launcher = server.findLauncher(configured, folders, process.env);
  if (launcher === null) {
    vscode.window.showErrorMessage(server.NO_LAUNCHER);
    return;
  }
  watcher = vscode.workspace.createFileSystemWatcher('**/*.pgmap');
  client = server.createClient(LanguageClient, launcher, watcher);
  try {
    await client.start();
  } catch (e) {
    vscode.window.showErrorMessage(`pgmap: could not start "${launcher} language-server": ${e.message}`);
  }
}

async function stop() {
  const running = client;
  client = null;
  if (watcher !== null) {
    watcher.dispose();
    watcher = null;
  }
  if (running !== null && running.isRunning()) {
    await running.stop();
  }
}

async function activate(context) {
  context.subscriptions.push(vscode.workspace.onDidChangeConfiguration(async (event) => {
    if (event.affectsConfiguration('pgmap.path')) {
      await stop();
      await start();
    }
  }));
  await start();
}

function deactivate() {
  return stop();
}

module.exports = { activate, deactivate };
