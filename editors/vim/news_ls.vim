" news-ls for Vim 8.2+ / 9 through ALE (dense-analysis/ale, Debian: vim-ale).
" news-ls is a language server for news articles kept as plain .txt files.
"
" Install: load ALE, then source this file from your vimrc:
"   packadd! ale                     " or your plugin manager's way
"   source /path/to/news-ls/editors/vim/news_ls.vim
" Options (buffer or global, like every ALE option):
"   let g:ale_text_news_ls_executable = '/path/to/news-ls'   " default: news-ls
"   let g:ale_text_news_ls_config = {'inlayHints': 'all',
"   \   'diagnostics': {'boilerplate': 'off'}}             " the `news-ls` section
" Then :ALEHover, :ALEFindReferences, :ALEDocumentSymbolSearch… work in .txt
" files, and news-ls diagnostics show as ALE problems.

call ale#Set('text_news_ls_executable', 'news-ls')
call ale#Set('text_news_ls_config', {'inlayHints': 'all'})

" The corpus root: the nearest folder with news-ls.toml, else the git root,
" else the file's folder.
function! NewsLsProjectRoot(buffer) abort
    let l:marker = ale#path#FindNearestFile(a:buffer, 'news-ls.toml')

    if !empty(l:marker)
        return fnamemodify(l:marker, ':h')
    endif

    let l:git = ale#path#FindNearestDirectory(a:buffer, '.git')

    if !empty(l:git)
        return fnamemodify(l:git, ':h:h')
    endif

    return expand('#' . a:buffer . ':p:h')
endfunction

" ALE does not answer workspace/configuration: the settings go as
" initializationOptions and in workspace/didChangeConfiguration.
call ale#linter#Define('text', {
\   'name': 'news_ls',
\   'lsp': 'stdio',
\   'language': 'plaintext',
\   'executable': {b -> ale#Var(b, 'text_news_ls_executable')},
\   'command': '%e --stdio',
\   'project_root': function('NewsLsProjectRoot'),
\   'initialization_options': {b -> {'news-ls': ale#Var(b, 'text_news_ls_config')}},
\   'lsp_config': {b -> {'news-ls': ale#Var(b, 'text_news_ls_config')}},
\})
