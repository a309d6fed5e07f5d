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
		gogc string
		want int // the GC percent after
	}{
		{[]string{"build", "-src", "x"}, "", buildGCPercent},
		{[]string{"check"}, "", buildGCPercent},
		{[]string{"build"}, "150", 100},
		{[]string{"serve"}, "", 100},
		{[]string{"version"}, "", 100},
		{nil, "", 100},
	} {
		debug.SetGCPercent(100)
		set := tuneRuntime(tc.args, func(k string) string {
			if k == "GOGC" {
				return tc.gogc
			}
			return ""
		})
		if got := debug.SetGCPercent(100); got != tc.want || set != (tc.want != 100) {
			t.Errorf("%q with GOGC=%q: GC percent %d (set %v), want %d", tc.args, tc.gogc, got, set, tc.want)
		}
	}
}
