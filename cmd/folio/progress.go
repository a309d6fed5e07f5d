package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// progress shows the stage of a long build on a terminal: nothing for the
// first second, then one line rewritten in place, cleared at the end.
// When stderr is not a terminal (CI logs) it shows nothing.
type progress struct {
	w     io.Writer
	start time.Time
	mu    sync.Mutex
	stage string
	shown bool
	done  chan struct{}
	wg    sync.WaitGroup
}

// startProgress returns nil when w is not a terminal.
func startProgress(w io.Writer) *progress {
	f, ok := w.(*os.File)
	if !ok {
		return nil
	}
	if fi, err := f.Stat(); err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	p := &progress{w: w, start: time.Now(), done: make(chan struct{})}
	p.wg.Add(1)
	go p.loop()
	return p
}

// Stage records the stage the build is in; safe on a nil progress.
func (p *progress) Stage(name string) {
	if p == nil {
		return
	}
	p.mu.Lock()
	p.stage = name
	p.mu.Unlock()
}

func (p *progress) loop() {
	defer p.wg.Done()
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-p.done:
			return
		case <-tick.C:
			if d := time.Since(p.start); d >= time.Second {
				p.mu.Lock()
				fmt.Fprintf(p.w, "\r\033[Kfolio: %s… %.1fs", p.stage, d.Seconds())
				p.shown = true
				p.mu.Unlock()
			}
		}
	}
}

// Stop clears the progress line; safe on a nil progress.
func (p *progress) Stop() {
	if p == nil {
		return
	}
	close(p.done)
	p.wg.Wait()
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
