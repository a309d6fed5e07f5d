package main

import (
	"os"
	"runtime/debug"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"folio": func() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs the CLI end to end, in-process, over the scripts in
// testdata/script. Each script builds a mini-site with the repository's
// real templates, copied in by the "templates" command.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"cp-templates": cpTemplates,
		},
	})
}

// cpTemplates copies the repository's templates/ into the script's site.
func cpTemplates(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) > 0 {
		ts.Fatalf("usage: cp-templates")
	}
	err := os.CopyFS(ts.MkAbs("templates"), os.DirFS("../../templates"))
	ts.Check(err)
}

func TestTuneRuntime(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	for _, tc := range []struct {
		args []string
		want bool
	}{
		{[]string{"build", "-src", "x"}, true},
		{[]string{"check"}, true},
		{[]string{"serve"}, false},
		{[]string{"version"}, false},
		{nil, false},
	} {
		debug.SetGCPercent(100)
		tuned := tuneRuntime(tc.args, func(string) string { return "" })
		if got := debug.SetGCPercent(100); tuned != tc.want || (got != 100) != tc.want {
			t.Errorf("%q: tuned %v with GC percent %d, want tuned %v", tc.args, tuned, got, tc.want)
		}
	}
}
