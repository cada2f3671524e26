-- Neovim 0.7 headless against the language server: the lines README.md gives (section Neovim),
-- then opens SPEC, waits for the model check's R1 and prints every diagnostic; exits 1 without R1.
-- Run by tools/try-editors.sh: PGMAP=./pgmap SPEC=examples/test_hmm/v6_0.pgmap nvim --headless --clean -u NONE -c "luafile editors/neovim/try.lua"
local pgmap = os.getenv('PGMAP') -- the launcher: the repository's ./pgmap
local file = os.getenv('SPEC')

-- README begin (0.7)
local pgmap_client
vim.api.nvim_create_autocmd({ 'BufRead', 'BufNewFile' }, {
  pattern = '*.pgmap',
  callback = function(args)
    vim.bo[args.buf].filetype = 'pgmap'
    pgmap_client = pgmap_client or vim.lsp.start_client({
      name = 'pgmap',
      cmd = { pgmap, 'language-server' },
      root_dir = vim.fn.getcwd(), -- the workspace: the folder nvim started in
    })
    vim.lsp.buf_attach_client(args.buf, pgmap_client)
  end,
})
-- README end

vim.cmd('edit ' .. vim.fn.fnameescape(file))
local ok = vim.wait(tonumber(os.getenv('WAIT') or '120000'), function()
  for _, d in ipairs(vim.diagnostic.get(0)) do
    if (d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)) == 'R1' then return true end
  end
  return false
end, 200)
for _, d in ipairs(vim.diagnostic.get(0)) do
  print(string.format('%s:%d:%d: %s [%s] %s', vim.fn.fnamemodify(file, ':t'), d.lnum + 1, d.col + 1,
    vim.diagnostic.severity[d.severity], tostring(d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)), d.message:sub(1, 60)))
end
print('filetype ' .. vim.bo.filetype .. ', clients ' .. #vim.lsp.get_active_clients())
print(ok and 'R1 arrived' or 'no R1 within 120 s')
vim.lsp.stop_client(vim.lsp.get_active_clients())
vim.wait(3000, function() return #vim.lsp.get_active_clients() == 0 end)
vim.cmd(ok and 'qall!' or 'cquit!')
