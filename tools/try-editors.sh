#!/usr/bin/env bash
# Tries README's Neovim and Emacs (eglot) setups against the language server: each editor, run
# headless with exactly those lines (editors/neovim/try.lua, editors/emacs/try.el), opens the racy
# test_hmm v6.0 spec and must show the model check's R1 on line 33. An editor that is not
# installed is skipped (Debian: apt-get install neovim emacs-nox elpa-eglot).
set -euo pipefail
cd "$(dirname "$0")/.."
export PGMAP="$PWD/pgmap" SPEC=examples/test_hmm/v6_0.pgmap
status=0
if command -v nvim >/dev/null; then
  echo "== $(nvim --version | head -1)"
  timeout 300 nvim --headless --clean -u NONE -c 'luafile editors/neovim/try.lua' 2>&1 || status=1
  echo
else
  echo "== nvim not installed: skipped"
fi
if command -v emacs >/dev/null; then
  echo "== $(emacs --version | head -1)"
  # not -Q: Debian's site-start makes the elpa-eglot package loadable
  timeout 300 emacs --batch -l editors/emacs/try.el 2>&1 | grep -v '^Loading ' || status=1
else
  echo "== emacs not installed: skipped"
fi
exit "$status"
