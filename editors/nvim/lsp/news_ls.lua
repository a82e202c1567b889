-- news-ls: a language server for corpora of news articles kept as plain `.txt`
-- files (diagnostics, entity hovers, references across the corpus, outline,
-- `— Speaker` inlay hints, code actions, rename…).
--
-- Neovim 0.11+: put this file on the runtimepath as `lsp/news_ls.lua` (for example
-- ~/.config/nvim/lsp/news_ls.lua) and call `vim.lsp.enable('news_ls')`.
-- Override any field with `vim.lsp.config('news_ls', { ... })`.
-- Older Neovim (0.7–0.10): see `news_ls_legacy.lua` next to this folder.
--
-- A corpus root is the nearest folder holding `news-ls.toml`, else the git root;
-- every `.txt` file under it is indexed, opened or not.

---@type vim.lsp.Config
return {
  cmd = { 'news-ls', '--stdio' },
  filetypes = { 'text' },
  root_markers = { 'news-ls.toml', '.git' },
  -- Sent as `workspace/configuration` section `news-ls` (same keys as VS Code's).
  settings = {
    ['news-ls'] = {
      -- Severity per code: 'off' | 'hint' | 'information' | 'warning' | 'error', e.g.
      -- diagnostics = { boilerplate = 'off', ['unattributed-quote'] = 'error' },
      inlayHints = 'all', -- 'all' | 'unattributed' | 'off'
    },
  },
}
