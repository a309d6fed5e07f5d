package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"strconv"
	"syscall"
	"time"

	"github.com/folio-ssg/folio/internal/server"
	"github.com/folio-ssg/folio/internal/site"
)

func cmdServe(args []string, stdout, stderr io.Writer) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return serve(ctx, args, stdout, stderr)
}

// serve previews the site until ctx is done (Ctrl-C, in cmdServe).
func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", "folio serve [-src DIR] [-addr 127.0.0.1:8080] [-no-drafts] [-open]", stderr)
	src := fs.String("src", ".", "site source `folder`")
	addr := fs.String("addr", "127.0.0.1:8080", "`host:port` to listen on; anything but loopback lets others read the preview")
	noDrafts := fs.Bool("no-drafts", false, "leave out drafts and embargoed briefs, as build does")
	open := fs.Bool("open", false, "open the site in a web browser")
	if err := parseFlags(fs, args, 0); err != nil {
		return err
	}
	host, port, err := net.SplitHostPort(*addr)
	if err != nil {
		fmt.Fprintf(stderr, "folio serve: -addr %q: want host:port, e.g. 127.0.0.1:8080\n", *addr)
		return errUsage
	}
	if fi, err := os.Stat(*src); err != nil || !fi.IsDir() {
		return fmt.Errorf("source folder %s: not found", *src)
	}
	ln, err := net.Listen("tcp", *addr)
	if errors.Is(err, syscall.EADDRINUSE) {
		next := "8081"
		if p, err := strconv.Atoi(port); err == nil && p < 65535 {
			next = strconv.Itoa(p + 1)
		}
		fmt.Fprintf(stderr, "folio serve: %s is in use; choose another with -addr %s\n", *addr, net.JoinHostPort(host, next))
		return errProblems
	}
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	if !loopback(host) {
		fmt.Fprintf(stderr, "folio serve: warning: %s is not a loopback address: anyone who can reach this machine can read the preview, drafts included\n", *addr)
	}

	first := true
	srv := server.New(server.Config{
		Dir:     *src,
		Addr:    ln.Addr().String(),
		Options: site.Options{Drafts: !*noDrafts},
		OnBuild: func(res server.Result) {
			if !res.Changed && !first {
				return
			}
			report(res.Problems, false, stderr)
			switch {
			case res.Failed && res.ID != "":
				fmt.Fprintln(stderr, "folio serve: still serving the last good build")
			case res.Failed:
			case first:
				fmt.Fprintf(stdout, "Built %s in %s\n", plural(res.Stats.Pages, "page"), res.Duration.Round(time.Millisecond))
			default:
				fmt.Fprintf(stdout, "Rebuilt %s in %s\n", plural(res.Stats.Pages, "page"), res.Duration.Round(time.Millisecond))
			}
			first = false
		},
	})
	// Watch first: a change made while the first build runs is seen.
	watcher, err := srv.Watch()
	if err != nil {
		fmt.Fprintf(stderr, "folio serve: not watching for changes: %v\n", err)
	}
	srv.Rebuild()
	url := srv.URL()
	drafts := "drafts shown"
	if *noDrafts {
		drafts = "drafts hidden"
	}
	fmt.Fprintf(stdout, "Serving %s at %s (%s); press Ctrl-C to stop\n", *src, url, drafts)
	if *open {
		openBrowser(url, stderr)
	}

	watchCtx, stopWatch := context.WithCancel(ctx)
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		if watcher != nil {
			watcher.Run(watchCtx)
		}
	}()
	err = srv.Serve(ctx, ln)
	stopWatch()
	<-watched
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	fmt.Fprintln(stdout, "Stopped.")
	return nil
}

// loopback reports whether host reaches this machine only.
func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// openBrowser opens url in the desktop's browser, if there is one; it
// never fails the command.
func openBrowser(url string, stderr io.Writer) {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", url)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	default:
		cmd = exec.Command("xdg-open", url)
	}
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(stderr, "folio serve: could not open a browser (%v); visit %s\n", err, url)
		return
	}
	go cmd.Wait()
}
