-- Headless Neovim test of the repository's news-ls client configuration.
--
-- Run by tests/editors/nvim/run.sh as
--   nvim --headless -u NONE -i NONE -n -c 'luafile tests/editors/nvim/test.lua'
-- with the environment:
--   NEWS_LS_BIN     the server binary
--   NEWS_LS_REPO    the repository root (for editors/nvim and tests/editors/fixture.json)
--   NEWS_LS_CORPUS  a copy of the seed corpus, with a news-ls.toml marking its root
--   NEWS_LS_EXPECT  what the editor must show, from the server's analysis (tests/editors/expect.py)
--   NEWS_LS_MODE    `config`: editors/nvim/lsp/news_ls.lua + vim.lsp.enable (0.11+)
--                   `legacy`: editors/nvim/news_ls_legacy.lua (0.7 to 0.10)
-- Prints one PASS/FAIL line per check and exits non-zero if any check failed.

local repo = assert(os.getenv('NEWS_LS_REPO'), 'NEWS_LS_REPO unset')
local corpus = assert(os.getenv('NEWS_LS_CORPUS'), 'NEWS_LS_CORPUS unset')
local bin = assert(os.getenv('NEWS_LS_BIN'), 'NEWS_LS_BIN unset')
local mode = os.getenv('NEWS_LS_MODE') or 'config'
local timeout = tonumber(os.getenv('NEWS_LS_TIMEOUT_MS') or '20000')

local passed, failed = 0, 0
local function out(s)
  io.stdout:write(s .. '\n')
end
local function check(name, fn)
  local ok, res = pcall(fn)
  if ok then
    passed = passed + 1
    out('PASS ' .. name .. (res and (': ' .. tostring(res)) or ''))
  else
    failed = failed + 1
    out('FAIL ' .. name .. ': ' .. tostring(res))
  end
  return ok
end
local function finish()
  local v = vim.version()
  out(string.format('nvim %d.%d.%d (%s): %d passed, %d failed', v.major, v.minor, v.patch, mode, passed, failed))
  if failed > 0 or passed == 0 then
    vim.cmd('cquit 1')
  else
    vim.cmd('qall!')
  end
end

local function read_json(path)
  return vim.fn.json_decode(table.concat(vim.fn.readfile(path), '\n'))
end
local fixture = read_json(repo .. '/tests/editors/fixture.json')
local expect = read_json(assert(os.getenv('NEWS_LS_EXPECT'), 'NEWS_LS_EXPECT unset'))
local known = {}
for _, c in ipairs(fixture.known_codes) do
  known[c] = true
end

-- Calls fn until it stops raising (the server may still be indexing the corpus).
local function retry(fn)
  local ok, res
  vim.wait(timeout, function()
    ok, res = pcall(fn)
    return ok
  end, 200)
  if not ok then
    error(res, 0)
  end
  return res
end

local function request(bufnr, method, params)
  local results, err = vim.lsp.buf_request_sync(bufnr, method, params, timeout)
  assert(results, method .. ' failed: ' .. tostring(err))
  for _, res in pairs(results) do
    assert(not res.err, method .. ' error: ' .. vim.inspect(res.err))
    return res.result
  end
  error(method .. ': no client answered')
end

local function clients_of(bufnr)
  if vim.lsp.get_clients then
    return vim.lsp.get_clients({ bufnr = bufnr, name = 'news_ls' })
  end
  local list = {}
  for _, c in pairs(vim.lsp.buf_get_clients(bufnr)) do
    if c.name == 'news_ls' then
      table.insert(list, c)
    end
  end
  return list
end

local function notify(client, method, params)
  if vim.fn.has('nvim-0.11') == 1 then
    return client:notify(method, params)
  end
  return client.notify(method, params)
end

local function diag_code(d)
  return d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
end

local function codes_of(bufnr)
  local set, list = {}, {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local c = tostring(diag_code(d))
    if not set[c] then
      set[c] = true
      table.insert(list, c)
    end
  end
  table.sort(list)
  return set, list
end

local ok, err = pcall(function()
  -- 1. The repository's configuration, as a user would load it.
  vim.cmd('filetype on') -- -u NONE leaves filetype detection off
  if mode == 'config' then
    assert(vim.lsp.config and vim.lsp.enable, 'this Neovim has no vim.lsp.config (needs 0.11+)')
    vim.opt.runtimepath:prepend(repo .. '/editors/nvim')
    vim.lsp.config('news_ls', { cmd = { bin, '--stdio' } }) -- only the binary differs
    vim.lsp.enable('news_ls')
  else
    vim.g.news_ls_cmd = { bin, '--stdio' }
    dofile(repo .. '/editors/nvim/news_ls_legacy.lua')
  end

  local article = corpus .. '/' .. fixture.article
  vim.cmd('edit ' .. vim.fn.fnameescape(article))
  local bufnr = vim.api.nvim_get_current_buf()
  local client

  check('filetype of a .txt article is text', function()
    assert(vim.bo[bufnr].filetype == 'text', 'filetype is "' .. vim.bo[bufnr].filetype .. '"')
  end)

  if not check('news_ls attaches to the article', function()
    assert(vim.wait(timeout, function()
      return #clients_of(bufnr) > 0 and clients_of(bufnr)[1].initialized ~= false
    end, 20), 'no news_ls client attached within ' .. timeout .. ' ms')
    client = clients_of(bufnr)[1]
    local root = client.config.root_dir
    assert(root and vim.fn.resolve(root) == vim.fn.resolve(corpus), 'root_dir is ' .. tostring(root) .. ', expected ' .. corpus)
    local info = client.server_info
    return string.format('%s, root %s, encoding %s', info and (info.name .. ' ' .. (info.version or '')) or 'server', root, client.offset_encoding)
  end) then
    return
  end

  check('diagnostics show the codes of the analysis', function()
    local want = table.concat(expect.codes, ', ')
    assert(vim.wait(timeout, function()
      return table.concat(select(2, codes_of(bufnr)), ', ') == want
    end, 20), 'expected codes ' .. want .. ' within ' .. timeout .. ' ms; got: ' .. table.concat(select(2, codes_of(bufnr)), ', '))
    for _, c in ipairs(select(2, codes_of(bufnr))) do
      assert(known[c], 'unknown diagnostic code ' .. c)
    end
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      assert(d.message and d.message ~= '', 'diagnostic without a message')
    end
    return #vim.diagnostic.get(bufnr) .. ' diagnostics, codes: ' .. want
  end)

  -- The cursor on the entity word: position params in the client's encoding.
  local lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  local entity_pos
  for i, line in ipairs(lines) do
    local s = line:find(fixture.entity.anchor, 1, true)
    if s then
      local w = line:find(fixture.entity.word, s, true)
      entity_pos = { i, w - 1 + 2 } -- (1-based line, 0-based byte column) inside the word
      break
    end
  end
  assert(entity_pos, 'anchor not found in the article: ' .. fixture.entity.anchor)
  vim.api.nvim_win_set_cursor(0, entity_pos)
  local pos_params = vim.lsp.util.make_position_params(0, client.offset_encoding)

  check('hover on "' .. fixture.entity.word .. '" shows its entity card', function()
   return retry(function()
    local res = request(bufnr, 'textDocument/hover', pos_params)
    assert(res and res.contents, 'no hover')
    local c = res.contents
    local text = type(c) == 'string' and c or c.value or table.concat(vim.tbl_map(function(x)
      return type(x) == 'string' and x or x.value
    end, c), '\n')
    assert(text:find(expect.entity.canonical, 1, true), 'hover lacks the canonical name "' .. expect.entity.canonical .. '": ' .. text)
    assert(not expect.entity.kind or text:find(expect.entity.kind, 1, true), 'hover lacks the kind "' .. tostring(expect.entity.kind) .. '": ' .. text)
    return (text:gsub('%s+', ' '):sub(1, 100))
   end)
  end)

  check('references reach the other (unopened) files', function()
    local params = vim.deepcopy(pos_params)
    params.context = { includeDeclaration = true }
    return retry(function()
      local res = request(bufnr, 'textDocument/references', params)
      assert(type(res) == 'table' and #res > 0, 'no references')
      local set = {}
      for _, loc in ipairs(res) do
        set[vim.fn.fnamemodify(vim.uri_to_fname(loc.uri), ':t')] = true
      end
      local files = vim.tbl_keys(set)
      table.sort(files)
      local got, want = table.concat(files, ', '), table.concat(expect.entity.files, ', ')
      assert(got == want, 'files ' .. got .. '; the analysis has mentions in ' .. want)
      return #res .. ' locations in ' .. #files .. ' files'
    end)
  end)

  check('document symbols start with the title', function()
    local res = request(bufnr, 'textDocument/documentSymbol', { textDocument = { uri = vim.uri_from_bufnr(bufnr) } })
    assert(type(res) == 'table' and #res > 0, 'no symbols')
    local first = res[1].name
    assert(vim.trim(first) == expect.title, 'first symbol is "' .. tostring(first) .. '", expected the title "' .. expect.title .. '"')
    return #res .. ' top-level symbols, first "' .. first:sub(1, 50) .. '…"'
  end)

  check('inlay hints name speakers after quotations', function()
    local res = request(bufnr, 'textDocument/inlayHint', {
      textDocument = { uri = vim.uri_from_bufnr(bufnr) },
      range = { start = { line = 0, character = 0 }, ['end'] = { line = #lines, character = 0 } },
    })
    assert(type(res) == 'table' and #res > 0, 'no inlay hints')
    local labels = {}
    for _, h in ipairs(res) do
      local label = type(h.label) == 'string' and h.label or table.concat(vim.tbl_map(function(p)
        return p.value
      end, h.label), '')
      table.insert(labels, label)
    end
    local prefix = expect.inlay_hint_prefix
    local speakers = vim.tbl_filter(function(l)
      return vim.trim(l):sub(1, #prefix) == prefix
    end, labels)
    assert(#speakers > 0, 'no hint starts with "' .. prefix .. '": ' .. table.concat(labels, ' | '))
    return #speakers .. ' speaker hints, e.g. "' .. speakers[1] .. '"'
  end)

  check('settings reach the server (diagnostics.boilerplate = off)', function()
    assert(codes_of(bufnr)['boilerplate'], 'precondition: no boilerplate diagnostic to turn off')
    local settings = vim.deepcopy(client.settings or client.config.settings or {})
    settings['news-ls'] = settings['news-ls'] or {}
    settings['news-ls'].diagnostics = { boilerplate = 'off' }
    if client.settings then
      client.settings = settings
    end
    client.config.settings = settings
    notify(client, 'workspace/didChangeConfiguration', { settings = settings })
    assert(vim.wait(timeout, function()
      local set = codes_of(bufnr)
      return not set['boilerplate']
    end, 20), 'boilerplate diagnostics still there: ' .. table.concat(select(2, codes_of(bufnr)), ', '))
    return 'codes now: ' .. table.concat(select(2, codes_of(bufnr)), ', ')
  end)

  check('server shuts down cleanly', function()
    local id = client.id
    if vim.fn.has('nvim-0.11') == 1 then
      client:stop()
    else
      client.stop()
    end
    assert(vim.wait(5000, function()
      return vim.lsp.get_client_by_id(id) == nil
    end, 20), 'client still running 5 s after stop')
  end)
end)

if not ok then
  failed = failed + 1
  out('FAIL lua error: ' .. tostring(err))
end
finish()
