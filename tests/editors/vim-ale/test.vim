" Headless Vim + ALE test of editors/vim/news_ls.vim.
" Run by tests/editors/vim-ale/run.sh as
"   vim -N -u NONE -i NONE -n -es -S tests/editors/vim-ale/test.vim
" with NEWS_LS_BIN, NEWS_LS_REPO, NEWS_LS_CORPUS and NEWS_LS_OUT (result file).
" Checks ALE's problems (our codes), hover, references into other files and the
" document symbols through ALE's LSP connection, and that the linter's config
" reaches the server. Exits non-zero on any failure.

let s:out = $NEWS_LS_OUT
let s:passed = 0
let s:failed = 0
let s:timeout = 20000

function! s:Out(line) abort
  call writefile([a:line], s:out, 'a')
endfunction

function! s:Pass(name, detail) abort
  let s:passed += 1
  call s:Out('PASS ' . a:name . (empty(a:detail) ? '' : ': ' . a:detail))
endfunction

function! s:Fail(name, detail) abort
  let s:failed += 1
  call s:Out('FAIL ' . a:name . ': ' . a:detail)
endfunction

" Waits (processing jobs and timers) until the expression is true.
function! s:Wait(expr, ms) abort
  let l:waited = 0
  while !eval(a:expr) && l:waited < a:ms
    sleep 20m
    let l:waited += 20
  endwhile
  return eval(a:expr)
endfunction

function! s:Codes() abort
  let l:codes = {}
  for l:item in ale#engine#GetLoclist(bufnr('%'))
    if get(l:item, 'linter_name', '') is# 'news_ls'
      let l:codes[get(l:item, 'code', '')] = 1
    endif
  endfor
  return sort(keys(l:codes))
endfunction

let s:responses = {}
function! s:Handler(name, response) abort
  let s:responses[a:name] = a:response
endfunction

function! s:Send(name, message) abort
  if has_key(s:responses, a:name)
    call remove(s:responses, a:name)
  endif
  call ale#lsp_linter#SendRequest(bufnr('%'), 'news_ls', a:message, function('s:Handler', [a:name]))
  if !s:Wait('has_key(s:responses, ' . string(a:name) . ')', s:timeout)
    throw 'no answer to ' . a:message[1]
  endif
  let l:response = s:responses[a:name]
  if has_key(l:response, 'error')
    throw a:message[1] . ' error: ' . string(l:response.error)
  endif
  return get(l:response, 'result', v:null)
endfunction

function! s:Finish() abort
  call s:Out(printf('vim %d.%d + ALE: %d passed, %d failed', v:version / 100, v:version % 100, s:passed, s:failed))
  if s:failed > 0 || s:passed == 0
    cquit 1
  endif
  qall!
endfunction

try
  let s:fixture = json_decode(join(readfile($NEWS_LS_REPO . '/tests/editors/fixture.json'), "\n"))
  " What Vim must show, from the server's own analysis (tests/editors/expect.py).
  let s:expect = json_decode(join(readfile($NEWS_LS_EXPECT), "\n"))
  filetype on
  packadd ale
  let g:ale_lint_delay = 0
  let g:ale_linters = {'text': ['news_ls']}
  let g:ale_text_news_ls_executable = $NEWS_LS_BIN
  execute 'source ' . fnameescape($NEWS_LS_REPO . '/editors/vim/news_ls.vim')

  execute 'edit ' . fnameescape($NEWS_LS_CORPUS . '/' . s:fixture.article)
  if &filetype isnot# 'text'
    call s:Fail('filetype', &filetype)
  endif
  let s:names = map(ale#linter#Get('text'), 'v:val.name')
  if index(s:names, 'news_ls') >= 0
    call s:Pass('ALE has the news_ls linter for text', join(s:names, ', '))
  else
    call s:Fail('ALE has the news_ls linter for text', string(s:names))
  endif

  ALELint
  let s:want = s:expect.codes
  if s:Wait('s:Codes() ==# s:want', s:timeout)
    let s:unknown = filter(s:Codes(), 'index(s:fixture.known_codes, v:val) < 0')
    if empty(s:unknown)
      call s:Pass('ALE shows news-ls problems with our codes', len(ale#engine#GetLoclist(bufnr('%'))) . ' problems, codes ' . join(s:Codes(), ', '))
    else
      call s:Fail('ALE shows news-ls problems with our codes', 'unknown codes ' . join(s:unknown, ', '))
    endif
  else
    call s:Fail('ALE shows news-ls problems with our codes', 'expected ' . join(s:want, ', ') . ', got ' . join(s:Codes(), ', ') . ' ' . string(get(g:, 'ale_lsp_error_messages', {})))
  endif

  " The entity word: line and 1-based column (the anchor is ASCII up to it).
  call cursor(1, 1)
  let s:lnum = search('\V' . escape(s:fixture.entity.anchor, '\'), 'cW')
  let s:col = stridx(getline(s:lnum), s:fixture.entity.word, stridx(getline(s:lnum), s:fixture.entity.anchor)) + 1 + 2

  " Hover and references are asked again while the server indexes the corpus.
  function! s:HoverText() abort
    let l:hover = s:Send('hover', ale#lsp#message#Hover(bufnr('%'), s:lnum, s:col))
    let l:contents = get(l:hover is v:null ? {} : l:hover, 'contents', '')
    return type(l:contents) == v:t_dict ? get(l:contents, 'value', '') : string(l:contents)
  endfunction
  function! s:RefFiles() abort
    let s:refs = s:Send('refs', ale#lsp#message#References(bufnr('%'), s:lnum, s:col))
    let l:files = {}
    for l:loc in (s:refs is v:null ? [] : s:refs)
      let l:files[fnamemodify(ale#util#ToResource(l:loc.uri), ':t')] = 1
    endfor
    return sort(keys(l:files))
  endfunction

  try
    call s:Wait('stridx(s:HoverText(), s:expect.entity.canonical) >= 0', s:timeout)
    let s:text = s:HoverText()
    if stridx(s:text, s:expect.entity.canonical) >= 0 && stridx(s:text, get(s:expect.entity, 'kind', '')) >= 0
      call s:Pass('hover shows the entity card', substitute(s:text, '\_s\+', ' ', 'g')[:90])
    else
      call s:Fail('hover shows the entity card', 'lacks ' . s:expect.entity.canonical . ' or its kind: ' . s:text)
    endif
  catch
    call s:Fail('hover shows the entity card', v:exception)
  endtry

  try
    call s:Wait('s:RefFiles() ==# s:expect.entity.files', s:timeout)
    let s:files = s:RefFiles()
    if s:files ==# s:expect.entity.files
      call s:Pass('references reach the other (unopened) files', len(s:refs) . ' locations in ' . len(s:files) . ' files')
    else
      call s:Fail('references reach the other (unopened) files', 'files ' . join(s:files, ', ') . '; the analysis has mentions in ' . join(s:expect.entity.files, ', '))
    endif
  catch
    call s:Fail('references reach the other (unopened) files', v:exception)
  endtry

  try
    let s:symbols = s:Send('symbols', [0, 'textDocument/documentSymbol', {'textDocument': {'uri': ale#util#ToURI(expand('%:p'))}}])
    let s:first = empty(s:symbols) ? '' : trim(s:symbols[0].name)
    if s:first is# s:expect.title
      call s:Pass('document symbols start with the title', len(s:symbols) . ' top-level symbols')
    else
      call s:Fail('document symbols start with the title', 'first symbol "' . s:first . '", expected "' . s:expect.title . '"')
    endif
  catch
    call s:Fail('document symbols start with the title', v:exception)
  endtry

  " New settings: ALE sends workspace/didChangeConfiguration on the next lint.
  let g:ale_text_news_ls_config = {'inlayHints': 'all', 'diagnostics': {'boilerplate': 'off'}}
  let s:had_boilerplate = index(s:Codes(), 'boilerplate') >= 0
  ALELint
  if !s:had_boilerplate
    call s:Fail('config reaches the server (boilerplate off)', 'precondition: no boilerplate diagnostic to turn off')
  elseif s:Wait('index(s:Codes(), "boilerplate") < 0', s:timeout)
    call s:Pass('config reaches the server (boilerplate off)', 'codes now ' . join(s:Codes(), ', '))
  else
    call s:Fail('config reaches the server (boilerplate off)', 'still ' . join(s:Codes(), ', '))
  endif

  ALEStopAllLSPs
catch
  call s:Fail('vim script error', v:exception . ' at ' . v:throwpoint)
endtry
call s:Finish()
