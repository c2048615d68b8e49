// luahealth runs an Argo CD resource health script with gopher-lua, the Lua 5.1 interpreter
// Argo CD embeds, the way Argo CD does: the object is the global `obj`, the script returns a
// table with `status` and `message`. Usage: luahealth <script.lua> < object.json
// Output: {"status": "...", "message": "..."} on stdout. Test tooling for deploy/argocd/health.lua.
package main

import (
	"encoding/json"
	"fmt"
	"os"

	lua "github.com/yuin/gopher-lua"
)

func toLua(L *lua.LState, v interface{}) lua.LValue {
	switch t := v.(type) {
	case nil:
		return lua.LNil
	case bool:
		return lua.LBool(t)
	case float64:
		return lua.LNumber(t)
	case string:
		return lua.LString(t)
	case []interface{}:
		table := L.NewTable()
		for _, item := range t {
			table.Append(toLua(L, item))
		}
		return table
	case map[string]interface{}:
		table := L.NewTable()
		for key, item := range t {
			table.RawSetString(key, toLua(L, item))
		}
		return table
	}
	panic(fmt.Sprintf("unsupported JSON value %T", v))
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: luahealth <script.lua> < object.json")
		os.Exit(2)
	}
	var obj interface{}
	if err := json.NewDecoder(os.Stdin).Decode(&obj); err != nil {
		fmt.Fprintln(os.Stderr, "invalid JSON:", err)
		os.Exit(2)
	}
	L := lua.NewState()
	defer L.Close()
	L.SetGlobal("obj", toLua(L, obj))
	if err := L.DoFile(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "script failed:", err)
		os.Exit(1)
	}
	hs, ok := L.Get(-1).(*lua.LTable)
	if !ok {
		fmt.Fprintln(os.Stderr, "script did not return a table")
		os.Exit(1)
	}
	out, _ := json.Marshal(map[string]string{
		"status":  hs.RawGetString("status").String(),
		"message": hs.RawGetString("message").String(),
	})
	fmt.Println(string(out))
}
