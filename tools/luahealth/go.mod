// Test tool: runs Argo CD health scripts with gopher-lua (Argo CD's Lua interpreter).
module mdo.dev/tools/luahealth

go 1.26.0

require github.com/yuin/gopher-lua v1.1.2
