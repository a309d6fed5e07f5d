package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/folio-ssg/folio/bench/gen"
)

// serveResult is what an author waits for in folio serve.
type serveResult struct {
	firstBuild time.Duration   // from starting folio serve to the first page being served
	body       []time.Duration // from writing a brief with a new word to its page holding the word
	title      []time.Duration // the same for a new word in the brief's title, in the front matter
	peakRSS    int64           // KiB, VmHWM of the server at the end
}

// pollEvery is the wait between two requests for an edited page.
const pollEvery = 2 * time.Millisecond

// measureServe starts `folio serve` on the n-brief site in dir and edits
// briefs edits times each way: a word appended to the body, and a word
// added to the title. Each latency runs from the write to the first
// response that holds the word. The briefs it edits stay edited.
func measureServe(folio, dir string, n, edits int, logf func(string, ...any)) (serveResult, error) {
	var res serveResult
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return res, err
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(folio, "serve", "-addr", addr, "-src", dir)
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return res, err
	}
	exited := make(chan struct{}) // closed when the server has exited
	go func() { cmd.Wait(); close(exited) }()
	defer func() {
		cmd.Process.Signal(os.Interrupt)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
	}()
	client := &http.Client{Timeout: 10 * time.Second}
	page := func(k int) string { return fmt.Sprintf("http://%s/briefs/brief-%d/", addr, k) }

	// The first build: the page is there at all.
	if err := waitFor(client, page(0), "Generated brief 0", 5*time.Minute, exited); err != nil {
		return res, fmt.Errorf("folio serve: first build: %v\n%s", err, log.String())
	}
	res.firstBuild = time.Since(start)
	logf("  first build served after %.2fs", res.firstBuild.Seconds())

	// The watcher starts after the first build and takes a snapshot of
	// the sources; an edit made before it is ready would go unnoticed. So
	// warm up with an edit, written again until it is served.
	warm := n - 1
	src := gen.Brief(warm, n, false)
	for try := 0; ; try++ {
		word := fmt.Sprintf("zzwarmup%dq", try)
		if err := edit(dir, warm, src, "", word); err != nil {
			return res, err
		}
		if err := waitFor(client, page(warm), word, 3*time.Second, exited); err == nil {
			break
		} else if try == 20 {
			return res, fmt.Errorf("folio serve: warm-up edit never served: %v\n%s", err, log.String())
		}
	}

	for i := range edits {
		k := (i*37 + 1) % (n - 1)
		src := gen.Brief(k, n, false)
		bodyWord := fmt.Sprintf("zzbody%04dq", i)
		d, err := timeEdit(client, dir, k, src, "", bodyWord, page(k), exited)
		if err != nil {
			return res, fmt.Errorf("folio serve: body edit %d: %v\n%s", i, err, log.String())
		}
		res.body = append(res.body, d)
		titleWord := fmt.Sprintf("zztitle%04dq", i)
		d2, err := timeEdit(client, dir, k, src, titleWord, bodyWord, page(k), exited)
		if err != nil {
			return res, fmt.Errorf("folio serve: title edit %d: %v\n%s", i, err, log.String())
		}
		res.title = append(res.title, d2)
		logf("  edit %2d: brief-%d body %5.0f ms, title %5.0f ms", i+1, k, ms(d), ms(d2))
	}
	res.peakRSS = vmHWM(cmd.Process.Pid)
	return res, nil
}

// timeEdit writes brief k with titleWord in its title (if any) and
// bodyWord at the end of its body, and returns how long until its page
// holds the new word: titleWord if given, else bodyWord.
func timeEdit(client *http.Client, dir string, k int, src []byte, titleWord, bodyWord, url string, exited <-chan struct{}) (time.Duration, error) {
	want := bodyWord
	if titleWord != "" {
		want = titleWord
	}
	start := time.Now()
	if err := edit(dir, k, src, titleWord, bodyWord); err != nil {
		return 0, err
	}
	if err := waitFor(client, url, want, 30*time.Second, exited); err != nil {
		return 0, err
	}
	return time.Since(start), nil
}

// edit writes brief k as src with titleWord added to its title and a
// paragraph holding bodyWord appended, in place, as an editor saves.
func edit(dir string, k int, src []byte, titleWord, bodyWord string) error {
	s := string(src)
	if titleWord != "" {
		old := "title: Generated brief " + strconv.Itoa(k) + "\n"
		if !strings.Contains(s, old) {
			return fmt.Errorf("brief %d has no line %q", k, old)
		}
		s = strings.Replace(s, old, "title: Generated brief "+strconv.Itoa(k)+" "+titleWord+"\n", 1)
	}
	s += "\nEdited: " + bodyWord + ".\n"
	return os.WriteFile(filepath.Join(dir, filepath.FromSlash(gen.BriefPath(k))), []byte(s), 0o644)
}

// waitFor requests url every pollEvery until a response of status 200
// holds word.
func waitFor(client *http.Client, url, word string, timeout time.Duration, exited <-chan struct{}) error {
	deadline := time.Now().Add(timeout)
	w := []byte(word)
	for {
		select {
		case <-exited:
			return errors.New("the server exited")
		default:
		}
		resp, err := client.Get(url)
		if err == nil {
			body, rerr := io.ReadAll(resp.Body)
			resp.Body.Close()
			if rerr == nil && resp.StatusCode == http.StatusOK && bytes.Contains(body, w) {
				return nil
			}
		}
		if time.Now().After(deadline) {
			if err == nil {
				err = errors.New("no response held " + word)
			}
			return fmt.Errorf("%s after %s: %v", url, timeout, err)
		}
		time.Sleep(pollEvery)
	}
}

// vmHWM is a process's peak resident set size in KiB, or 0 if unknown.
func vmHWM(pid int) int64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(data)) {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return n
		}
	}
	return 0
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
