-- news-ls for Neovim 0.7 to 0.10, which lack `vim.lsp.config`/`vim.lsp.enable`
-- (Neovim 0.11+: use lsp/news_ls.lua and `vim.lsp.enable('news_ls')` instead).
--
-- Copy this into your init.lua, or keep the file and add to init.lua:
--   dofile('/path/to/news-ls/editors/nvim/news_ls_legacy.lua')
-- Set `vim.g.news_ls_cmd = { '/path/to/news-ls', '--stdio' }` before it to
-- run a binary that is not on PATH.
--
-- Each `text` buffer (`.txt` files) is attached to one news-ls client per corpus
-- root: the nearest folder holding `news-ls.toml`, else the git root.

local cmd = vim.g.news_ls_cmd or { 'news-ls', '--stdio' }
local settings = {
  ['news-ls'] = {
    -- diagnostics = { boilerplate = 'off', ['unattributed-quote'] = 'error' },
    inlayHints = 'all', -- 'all' | 'unattributed' | 'off'
  },
}

local function root_dir(bufnr)
  local dir = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(bufnr), ':p:h')
  local git
  while dir and dir ~= '' do
    if vim.fn.filereadable(dir .. '/news-ls.toml') == 1 then
      return dir
    end
    if not git and vim.fn.isdirectory(dir .. '/.git') + vim.fn.filereadable(dir .. '/.git') > 0 then
      git = dir
    end
    local parent = vim.fn.fnamemodify(dir, ':h')
    if parent == dir then
      break
    end
    dir = parent
  end
  return git
end

local clients = {} -- Neovim 0.7: corpus root -> client id

vim.api.nvim_create_autocmd('FileType', {
  group = vim.api.nvim_create_augroup('news_ls', { clear = true }),
  pattern = 'text',
  callback = function(args)
    local root = root_dir(args.buf)
    local config = { name = 'news_ls', cmd = cmd, root_dir = root, settings = settings }
    if vim.lsp.start then -- 0.8 to 0.10: reuses a client with the same name and root
      vim.lsp.start(config, { bufnr = args.buf })
      return
    end
    local key = root or ''
    local id = clients[key]
    if not (id and vim.lsp.get_client_by_id(id)) then
      id = vim.lsp.start_client(config)
      clients[key] = id
    end
    if id then
      vim.lsp.buf_attach_client(args.buf, id)
    end
  end,
})
