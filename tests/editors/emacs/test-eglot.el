;;; test-eglot.el --- Batch test of editors/emacs/news-ls.el with Eglot  -*- lexical-binding: t; -*-

;; Run by tests/editors/emacs/run.sh as
;;   emacs --batch -l tests/editors/emacs/test-eglot.el
;; with NEWS_LS_BIN, NEWS_LS_REPO and NEWS_LS_CORPUS (a copy of the seeds with a
;; news-ls.toml) in the environment.  It loads the repository's news-ls.el, opens
;; an article, starts Eglot as M-x eglot would, and checks what Eglot shows: the
;; server entry and language id, Flymake diagnostics with our codes, a hover, xref
;; references into the other files, the document symbols (title first) and that
;; `news-ls-settings' reaches the server.  Prints PASS/FAIL lines and exits 1 on
;; any failure.

;;; Code:

(require 'cl-lib)
(require 'json)
(require 'subr-x)

(defvar nlt-repo (getenv "NEWS_LS_REPO"))
(defvar nlt-corpus (getenv "NEWS_LS_CORPUS"))
(defvar nlt-bin (getenv "NEWS_LS_BIN"))
(defvar nlt-timeout (string-to-number (or (getenv "NEWS_LS_TIMEOUT") "20")))
(defvar nlt-passed 0)
(defvar nlt-failed 0)

(defun nlt-out (fmt &rest args)
  (princ (concat (apply #'format fmt args) "\n")))

(defmacro nlt-check (name &rest body)
  "Run BODY as the check NAME; its value (a string or nil) is printed."
  (declare (indent 1))
  `(condition-case err
       (let ((detail (progn ,@body)))
         (setq nlt-passed (1+ nlt-passed))
         (nlt-out "PASS %s%s" ,name (if (stringp detail) (concat ": " detail) ""))
         t)
     (error
      (setq nlt-failed (1+ nlt-failed))
      (nlt-out "FAIL %s: %s" ,name (error-message-string err))
      nil)))

(defun nlt-wait (pred &optional seconds)
  "Wait until PRED returns non-nil, processing events; return its value or nil."
  (let ((end (+ (float-time) (or seconds nlt-timeout)))
        value)
    (while (and (not (setq value (funcall pred)))
                (< (float-time) end))
      (accept-process-output nil 0.05))
    value))

(defun nlt-finish ()
  (nlt-out "emacs %s (eglot from %s): %d passed, %d failed"
           emacs-version
           (file-name-nondirectory (directory-file-name (file-name-directory (locate-library "eglot"))))
           nlt-passed nlt-failed)
  (kill-emacs (if (and (= nlt-failed 0) (> nlt-passed 0)) 0 1)))

(unless (and nlt-repo nlt-corpus nlt-bin)
  (nlt-out "FAIL setup: NEWS_LS_REPO, NEWS_LS_CORPUS and NEWS_LS_BIN must be set")
  (kill-emacs 1))

(defvar nlt-fixture
  (let ((json-object-type 'alist) (json-array-type 'list) (json-key-type 'symbol))
    (json-read-file (expand-file-name "tests/editors/fixture.json" nlt-repo))))
(defun nlt-fx (&rest keys)
  (let ((v nlt-fixture))
    (dolist (k keys v) (setq v (alist-get k v)))))
;; What Emacs must show, from the server's own analysis (tests/editors/expect.py).
(defvar nlt-expect
  (let ((json-object-type 'alist) (json-array-type 'list) (json-key-type 'symbol))
    (json-read-file (getenv "NEWS_LS_EXPECT"))))
(defun nlt-ex (&rest keys)
  (let ((v nlt-expect))
    (dolist (k keys v) (setq v (alist-get k v)))))

(defun nlt-retry (fn)
  "Call FN until it stops signalling (the server may still be indexing)."
  (let ((end (+ (float-time) nlt-timeout)) result done err)
    (while (not done)
      (condition-case e
          (setq result (funcall fn) done t)
        (error (setq err e)
               (if (> (float-time) end)
                   (signal (car err) (cdr err))
                 (accept-process-output nil 0.2)))))
    result))

(defun nlt-codes ()
  "The diagnostic codes Flymake shows in the current buffer (from \"source [code]: msg\")."
  (let (codes)
    (dolist (d (flymake-diagnostics) (sort (delete-dups codes) #'string<))
      (let ((text (flymake-diagnostic-text d)))
        (when (string-match "\\[\\([^]]+\\)\\]" text)
          (push (match-string 1 text) codes))))))

(condition-case err
    (progn
      (add-to-list 'load-path (expand-file-name "editors/emacs" nlt-repo))
      (require 'news-ls)
      (setq news-ls-program nlt-bin)
      (setq eglot-sync-connect 10
            eglot-autoshutdown t)

      (find-file (expand-file-name (nlt-fx 'article) nlt-corpus))
      (nlt-check "a .txt article opens in text-mode"
        (unless (eq major-mode 'text-mode) (error "major mode is %s" major-mode)))

      (nlt-check "eglot-server-programs maps text-mode to news-ls as \"plaintext\""
        (let* ((contact (eglot--guess-contact))
               (lang (nth 4 contact))
               (prog (nth 3 contact)))
          (unless (equal lang "plaintext") (error "language id %S" lang))
          (unless (eq (nth 2 contact) 'news-ls-server) (error "server class %S" (nth 2 contact)))
          (unless (equal prog (list nlt-bin "--stdio")) (error "program %S" prog))
          (unless (equal (car contact) '(text-mode)) (error "managed modes %S" (car contact)))
          (format "%S" prog)))

      ;; What M-x eglot does (it asks nothing here: the program exists).
      (call-interactively #'eglot)
      (unless (nlt-check "Eglot connects and manages the buffer"
                (let ((server (nlt-wait (lambda () (and (bound-and-true-p eglot--managed-mode)
                                                         (eglot-current-server))))))
                  (unless server (error "no server within %ss" nlt-timeout))
                  (let ((root (project-root (eglot--project server))))
                    (unless (equal (file-truename root) (file-truename (file-name-as-directory nlt-corpus)))
                      (error "project root %s, expected the corpus %s" root nlt-corpus))
                    (format "project root %s" root))))
        (nlt-finish))

      (nlt-check "Flymake shows the diagnostic codes of the analysis"
        (let ((expected (nlt-ex 'codes))
              (known (nlt-fx 'known_codes)))
          (unless (nlt-wait (lambda () (equal expected (nlt-codes))))
            (error "expected %S, Flymake has %S" expected (nlt-codes)))
          (dolist (c (nlt-codes))
            (unless (member c known) (error "unknown code %s" c)))
          (format "%d diagnostics, codes %s" (length (flymake-diagnostics))
                  (string-join (nlt-codes) ", "))))

      ;; Point inside the entity word.
      (goto-char (point-min))
      (search-forward (nlt-fx 'entity 'anchor))
      (search-backward (nlt-fx 'entity 'word))
      (forward-char 2)

      (nlt-check (format "hover on %s shows its entity card" (nlt-fx 'entity 'word))
        (nlt-retry
         (lambda ()
           (let* ((res (jsonrpc-request (eglot--current-server-or-lose) :textDocument/hover
                                        (eglot--TextDocumentPositionParams)))
                  (contents (plist-get res :contents))
                  (text (and contents (eglot--hover-info contents))))
             (unless (and text (string-match-p (regexp-quote (nlt-ex 'entity 'canonical)) text))
               (error "hover lacks %s: %S" (nlt-ex 'entity 'canonical) text))
             (unless (string-match-p (regexp-quote (or (nlt-ex 'entity 'kind) "")) text)
               (error "hover lacks the kind %s: %S" (nlt-ex 'entity 'kind) text))
             (truncate-string-to-width (replace-regexp-in-string "[ \t\n]+" " " text) 100)))))

      (nlt-check "xref references reach the other (unopened) files"
        (nlt-retry
         (lambda ()
           (let* ((backend (xref-find-backend))
                  (id (xref-backend-identifier-at-point backend))
                  (items (xref-backend-references backend id))
                  (files (sort (delete-dups
                                (mapcar (lambda (x) (file-name-nondirectory
                                                     (xref-location-group (xref-item-location x))))
                                        items))
                               #'string<)))
             (unless (equal files (nlt-ex 'entity 'files))
               (error "files %S; the analysis has mentions in %S" files (nlt-ex 'entity 'files)))
             (format "%d references in %d files (backend %s)" (length items) (length files) backend)))))

      (nlt-check "document symbols start with the title (and imenu has it)"
        (let* ((res (jsonrpc-request (eglot--current-server-or-lose) :textDocument/documentSymbol
                                     `(:textDocument ,(eglot--TextDocumentIdentifier))))
               (first (and (> (length res) 0) (plist-get (aref res 0) :name)))
               (index (eglot-imenu))
               (flat nil))
          (unless (equal (and first (string-trim first)) (nlt-ex 'title))
            (error "first symbol %S, expected the title %S" first (nlt-ex 'title)))
          (cl-labels ((walk (tree) (dolist (e tree)
                                     (push (car e) flat)
                                     (when (consp (cdr e)) (when (listp (cdr e)) (ignore-errors (walk (cdr e))))))))
            (walk index))
          (unless (cl-some (lambda (n) (and (stringp n) (string-prefix-p (substring (nlt-ex 'title) 0 30) n))) flat)
            (error "imenu lacks the title: %S" flat))
          (format "%d symbols, first %S" (length res) (truncate-string-to-width first 50))))

      (nlt-check "news-ls-settings reach the server (boilerplate off)"
        (unless (member "boilerplate" (nlt-codes))
          (error "precondition: no boilerplate diagnostic to turn off"))
        (setq news-ls-settings '(:inlayHints "all" :diagnostics (:boilerplate "off")))
        (eglot-signal-didChangeConfiguration (eglot--current-server-or-lose))
        (unless (nlt-wait (lambda () (not (member "boilerplate" (nlt-codes)))))
          (error "boilerplate still shown: %S" (nlt-codes)))
        (format "codes now %s" (string-join (nlt-codes) ", ")))

      (nlt-check "server shuts down"
        (let ((server (eglot--current-server-or-lose)))
          (eglot-shutdown server)
          (unless (nlt-wait (lambda () (not (jsonrpc-running-p server))) 5)
            (error "still running")))))
  (error
   (setq nlt-failed (1+ nlt-failed))
   (nlt-out "FAIL lisp error: %s" (error-message-string err))))

(nlt-finish)

;;; test-eglot.el ends here
