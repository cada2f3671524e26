;;; Emacs 28 + eglot 1.9 in batch mode against the language server: the lines README.md gives
;;; (section Emacs), then opens SPEC, waits for flymake's diagnostics with the model check's R1 and
;;; prints them; exits 1 without R1. Run by tools/try-editors.sh:
;;; PGMAP=./pgmap SPEC=examples/test_hmm/v6_0.pgmap emacs --batch -l editors/emacs/try.el
(require 'eglot)
(require 'flymake)
(defvar pgmap-launcher (getenv "PGMAP"))

;; README begin
(define-derived-mode pgmap-mode prog-mode "pgmap"
  "Major mode for pgmap specs."
  (setq-local comment-start "// ")
  (setq-local comment-start-skip "//+\\s-*"))
(add-to-list 'auto-mode-alist '("\\.pgmap\\'" . pgmap-mode))
(with-eval-after-load 'eglot
  (add-to-list 'eglot-server-programs `(pgmap-mode . (,pgmap-launcher "language-server"))))
(add-hook 'pgmap-mode-hook #'eglot-ensure)
;; README end

(setq eglot-sync-connect t
      eglot-connect-timeout 240
      flymake-no-changes-timeout nil)
(find-file (getenv "SPEC"))
(unless (eglot-current-server) (eglot-ensure))
;; eglot-ensure connects from post-command-hook, which batch mode never runs
(run-hooks 'post-command-hook)
(let ((deadline (+ (float-time) 120)) found)
  (while (and (not found) (< (float-time) deadline))
    (accept-process-output nil 0.2)
    ;; flymake starts a check from timers and commands, which batch mode does not run
    (flymake-start)
    (setq found (seq-find (lambda (d) (string-match-p "\\[R1\\]\\|R1 free-refcount" (flymake-diagnostic-text d)))
                          (flymake-diagnostics))))
  (message "server: %S" (and (eglot-current-server) (process-command (jsonrpc--process (eglot-current-server)))))
  (dolist (d (flymake-diagnostics))
    (message "%s:%d: %s %s" (file-name-nondirectory buffer-file-name) (line-number-at-pos (flymake-diagnostic-beg d))
             (flymake-diagnostic-type d) (truncate-string-to-width (flymake-diagnostic-text d) 70)))
  (message (if found "R1 arrived" "no R1 within 120 s"))
  (unless found
    (with-current-buffer (jsonrpc-events-buffer (eglot-current-server))
      (message "%s" (buffer-substring-no-properties (point-min) (min (point-max) 6000)))))
  (ignore-errors (eglot-shutdown (eglot-current-server)))
  (kill-emacs (if found 0 1)))
