'use strict';
// How the extension finds and starts pgmap's language server, apart from VS Code's API so that
// test/ can start the server exactly as the extension does. Nothing here goes through a shell:
// the launcher's path and the arguments reach the process as they are, whatever their characters.

const fs = require('fs');
const path = require('path');

const NO_LAUNCHER = 'pgmap: no launcher found. Set "pgmap.path" to the pgmap script, put pgmap on the PATH, '
  + 'or open a clone of the pgmap repository (its ./pgmap builds the tool on first use).';

function isExecutableFile(file) {
  try {
    if (!fs.statSync(file).isFile()) {
      return false;
    }
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch (e) {
    return false;
  }
}

/**
 * The pgmap launcher to run: the configured path (a relative one from the first workspace
 * folder), else pgmap on env.PATH, else the pgmap script at the root of a workspace folder (a
 * clone of the repository); null when there is none.
 */
function findLauncher(configured, workspaceFolders, env) {
  const folders = workspaceFolders || [];
  if (configured && configured.trim() !== '') {
    if (path.isAbsolute(configured) || folders.length === 0) {
      return configured;
    }
    return path.resolve(folders[0], configured);
  }
  for (const dir of ((env && env.PATH) || '').split(path.delimiter)) {
    if (dir !== '' && path.isAbsolute(dir) && isExecutableFile(path.join(dir, 'pgmap'))) {
      return path.join(dir, 'pgmap');
    }
  }
  for (const folder of folders) {
    if (isExecutableFile(path.join(folder, 'pgmap'))) {
      return path.join(folder, 'pgmap');
    }
  }
  return null;
}

/** vscode-languageclient's ServerOptions (an Executable): `LAUNCHER language-server` over stdin/stdout. */
function serverOptions(launcher) {
  return {
    command: launcher,
    args: ['language-server'],
    options: { shell: false }
  };
}

/** The client's side: .pgmap files on disk; fileEvents (a watcher of **\/*.pgmap) tells the server of changes to closed ones. */
function clientOptions(fileEvents) {
  return {
    documentSelector: [{ scheme: 'file', language: 'pgmap' }],
    synchronize: fileEvents ? { fileEvents } : undefined
  };
}

/** A client of vscode-languageclient's LanguageClient class (passed in: it needs VS Code to load). */
function createClient(LanguageClient, launcher, fileEvents) {
  return new LanguageClient('pgmap', 'pgmap language server', serverOptions(launcher), clientOptions(fileEvents));
}

module.exports = { NO_LAUNCHER, findLauncher, serverOptions, clientOptions, createClient };
