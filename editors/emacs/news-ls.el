;;; news-ls.el --- Eglot client setup for news-ls, the news article language server  -*- lexical-binding: t; -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "27.1") (eglot "1.9"))
;; Keywords: languages, tools, wp
;; SPDX-License-Identifier: MIT OR Apache-2.0

;;; Commentary:

;; news-ls is a language server for corpora of news articles kept as plain
;; `.txt' files: diagnostics (boilerplate, stray captions and quote marks,
;; unattributed quotations, name variants...), entity cards on hover,
;; references across the corpus, an outline (imenu) that starts with the title.
;;
;; This file registers news-ls with Eglot for `text-mode' buffers, under the
;; LSP language id "plaintext", and answers the server's `workspace/configuration'
;; requests for the section "news-ls" from `news-ls-settings' (a project's
;; `eglot-workspace-configuration' entry `:news-ls', if any, takes precedence).
;;
;; Setup (Emacs 27+ with the `eglot' package; Eglot is built into Emacs 29+):
;;
;;   (add-to-list 'load-path "/path/to/news-ls/editors/emacs")
;;   (require 'news-ls)
;;   (add-hook 'text-mode-hook #'news-ls-maybe-start) ; .txt files only
;;
;; or start it by hand in an article with M-x eglot.

;;; Code:

(require 'cl-lib)
(require 'eglot)

(defgroup news-ls nil
  "The news-ls language server for news articles, through Eglot."
  :group 'eglot
  :prefix "news-ls-")

(defcustom news-ls-program "news-ls"
  "The news-ls binary: a name looked up in `exec-path', or an absolute path."
  :type 'string)

(defcustom news-ls-settings '(:inlayHints "all")
  "Settings sent to news-ls as its \"news-ls\" section, as a plist.
Keys are those of the VS Code extension without the prefix:
  :diagnostics (:boilerplate \"off\" :unattributed-quote \"error\")
      severity per code: \"off\", \"hint\", \"information\", \"warning\", \"error\"
  :inlayHints \"all\", \"unattributed\" or \"off\"
  :maxFileSize bytes   :repeatThreshold articles
Call `eglot-signal-didChangeConfiguration' after changing it."
  :type 'sexp)

(defclass news-ls-server (eglot-lsp-server) ()
  :documentation "An Eglot connection to news-ls.")

(defun news-ls--contact (&optional _interactive)
  "The Eglot contact for news-ls: server class, program and arguments."
  (list 'news-ls-server news-ls-program "--stdio"))

(defun news-ls--settings ()
  "`news-ls-settings' as a JSON-ready object (never null)."
  (or news-ls-settings (make-hash-table)))

(cl-defmethod eglot-initialization-options ((_server news-ls-server))
  "Send `news-ls-settings' as initializationOptions."
  (news-ls--settings))

(cl-defmethod eglot-handle-request
  ((_server news-ls-server) (_method (eql workspace/configuration)) &key items)
  "Answer the section \"news-ls\" from `news-ls-settings' when the project sets none."
  (let ((answers (append (cl-call-next-method) nil)))
    (apply #'vector
           (cl-loop for item across items
                    for answer in answers
                    collect (if (and (null answer)
                                     (equal (plist-get item :section) "news-ls"))
                                (news-ls--settings)
                              answer)))))

(cl-defmethod jsonrpc-connection-send :around
  ((_server news-ls-server) &rest args &key method params &allow-other-keys)
  "Add the \"news-ls\" section to `workspace/didChangeConfiguration' when missing.
Eglot fills that notification from `eglot-workspace-configuration' only, so
without this a server reading the pushed settings would see none."
  (if (and (member method '(:workspace/didChangeConfiguration "workspace/didChangeConfiguration"))
           (let ((settings (plist-get params :settings)))
             (not (and (listp settings) (plist-member settings :news-ls)))))
      (let* ((settings (plist-get params :settings))
             (settings (if (and settings (listp settings)) settings nil)))
        (apply #'cl-call-next-method _server
               (plist-put (copy-sequence args) :params
                          (list :settings (append settings (list :news-ls (news-ls--settings)))))))
    (cl-call-next-method)))

;; The corpus root, as in the other editors: the nearest folder holding
;; news-ls.toml (only when Eglot asks, so project.el commands are unaffected).
(defun news-ls-project-find (dir)
  "Return a project rooted at the nearest ancestor of DIR holding news-ls.toml."
  (when (bound-and-true-p eglot-lsp-context)
    (let ((root (locate-dominating-file dir "news-ls.toml")))
      (and root (cons 'transient (expand-file-name root))))))
(add-hook 'project-find-functions #'news-ls-project-find)

;;;###autoload
(defun news-ls-maybe-start ()
  "Start news-ls with `eglot-ensure' in a `text-mode' buffer visiting a .txt file.
Meant for `text-mode-hook'; modes derived from `text-mode' (Org, Markdown...)
are left alone."
  (when (and (eq major-mode 'text-mode)
             buffer-file-name
             (string-match-p "\\.txt\\'" buffer-file-name))
    (eglot-ensure)))

;; Plain `text-mode' buffers, announced to the server as "plaintext".  (The list
;; of (MODE :language-id ID) specs is the form that Eglot 1.9 to Emacs 30 all read.)
(add-to-list 'eglot-server-programs
             '(((text-mode :language-id "plaintext")) . news-ls--contact))

(provide 'news-ls)
;;; news-ls.el ends here
