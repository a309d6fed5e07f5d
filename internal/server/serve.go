package server

import (
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"time"
)

// shutdownTimeout bounds how long Serve waits for requests in flight when
// its context ends.
const shutdownTimeout = 5 * time.Second

// Serve answers requests on ln until ctx is done, then shuts down
// gracefully: event streams end at once, other requests may finish. It
// returns nil after a clean shutdown.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	header := orDefault(s.cfg.ReadHeaderTimeout, 5*time.Second)
	hs := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: header,
		// A preview's requests have no bodies worth waiting for. (Event
		// streams lift this deadline: see serveEvents.)
		ReadTimeout:    2 * header,
		IdleTimeout:    orDefault(s.cfg.IdleTimeout, 60*time.Second),
		MaxHeaderBytes: 64 << 10,
		// Clients that hang up or time out are no news for the user.
		ErrorLog: log.New(io.Discard, "", 0),
	}
	hs.RegisterOnShutdown(s.Close)
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	err := hs.Shutdown(sctx)
	if serr := <-errc; !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	return err
}

func orDefault(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}
