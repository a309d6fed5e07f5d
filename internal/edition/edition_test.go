package edition

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestReproducible(t *testing.T) {
	in := []byte("%PDF-1.4\n1 0 obj\n<</Producer (Skia/PDF m156)\n/CreationDate (D:20261129155809+01'00')\n/ModDate (D:20261129155809+01'00')>>\n" +
		"2 0 obj <</S /TH /ID (node00000819)>>\n3 0 obj <</S /TD /Headers [(node00000819)] /ID (node00000005)>>\n")
	got := reproducible(bytes.Clone(in), time.Date(2025, 6, 12, 0, 0, 0, 0, time.UTC))
	want := "%PDF-1.4\n1 0 obj\n<</Producer (Skia/PDF m156)\n/CreationDate (D:20250612000000+00'00')\n/ModDate (D:20250612000000+00'00')>>\n" +
		"2 0 obj <</S /TH /ID (node00000001)>>\n3 0 obj <</S /TD /Headers [(node00000001)] /ID (node00000002)>>\n"
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if len(got) != len(in) {
		t.Errorf("length changed from %d to %d: the xref offsets would be wrong", len(in), len(got))
	}
}

func TestCleanSVG(t *testing.T) {
	const chart = `<svg width="10" height="10" xmlns="http://www.w3.org/2000/svg" aria-label="a > b"><style><![CDATA[.zr12-cls-0:hover{}]]></style>` +
		`<path class="zr12-cls-0" d="M0 0"/></svg>`
	got, err := cleanSVG(chart, "Figure 1. Sales & <costs>", "Rose from 1 to 3.")
	if err != nil {
		t.Fatal(err)
	}
	want := `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<svg width="10" height="10" xmlns="http://www.w3.org/2000/svg" aria-label="a > b"><title>Figure 1. Sales &amp; &lt;costs&gt;</title><desc>Rose from 1 to 3.</desc>` +
		`<style><![CDATA[.zr0-cls-0:hover{}]]></style><path class="zr0-cls-0" d="M0 0"/></svg>` + "\n"
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	for _, bad := range []string{
		`<svg><script>alert(1)</script></svg>`,
		`<svg><g onload="alert(1)"/></svg>`,
		`<svg><foreignObject/></svg>`,
		`<svg><use href="https://example.org/x.svg#a"/></svg>`,
		`<svg><text style="font-family:"A B""/></svg>`,
		`<html/>`,
		``,
	} {
		if _, err := cleanSVG(bad, "t", ""); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

func TestFindChromium(t *testing.T) {
	dir := t.TempDir()
	exe := filepath.Join(dir, "my-chromium")
	if err := os.WriteFile(exe, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv(EnvChromium, "")
	if got, err := FindChromium(exe); err != nil || got != exe {
		t.Errorf("FindChromium(%s) = %q, %v", exe, got, err)
	}
	t.Setenv(EnvChromium, exe)
	if got, err := FindChromium(""); err != nil || got != exe {
		t.Errorf("with %s=%s: %q, %v", EnvChromium, exe, got, err)
	}
	_, err := FindChromium(filepath.Join(dir, "missing"))
	if err == nil || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), "-chromium") {
		t.Errorf("a missing path: %v; want one line naming -chromium", err)
	}
	if msg := ErrNoChromium.Error(); strings.Contains(msg, "\n") || !strings.Contains(msg, "apt-get install chromium") ||
		!strings.Contains(msg, EnvChromium) || !errors.Is(ErrNoChromium, ErrNoChromium) {
		t.Errorf("ErrNoChromium = %q; want one line saying how to install or point folio at one", msg)
	}
}
