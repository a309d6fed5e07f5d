package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// keepAlive is how often an idle event stream sends a comment, so proxies
// and browsers keep it open and a closed tab is noticed.
const keepAlive = 20 * time.Second

// serveEvents streams the server's state to one page, as server-sent
// events: the current state at once, then each new one.
func (s *Server) serveEvents(w http.ResponseWriter, r *http.Request) {
	// A page of another origin may open an EventSource here; the stream
	// holds nothing secret, but it is this server's pages' alone.
	if o := r.Header.Get("Origin"); o != "" && o != "http://"+r.Host {
		plain(w, http.StatusForbidden, "folio serve: foreign Origin")
		return
	}
	rc := http.NewResponseController(w)
	// The stream outlives Serve's timeouts, which are for requests.
	rc.SetReadDeadline(time.Time{})
	rc.SetWriteDeadline(time.Time{})
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return
	}
	wake := s.subscribe()
	defer s.unsubscribe(wake)
	tick := time.NewTicker(keepAlive)
	defer tick.Stop()
	if _, err := fmt.Fprint(w, "retry: 1000\n\n"); err != nil {
		return
	}
	var last *state
	for {
		if st := s.cur.Load(); st != last {
			last = st
			if ev := event(st); ev != nil {
				if _, err := w.Write(ev); err != nil {
					return
				}
			}
		}
		if err := rc.Flush(); err != nil {
			return
		}
		select {
		case <-wake:
		case <-tick.C:
			if _, err := fmt.Fprint(w, ": keep-alive\n\n"); err != nil {
				return
			}
		case <-r.Context().Done():
			return
		case <-s.closing:
			return
		}
	}
}

type buildEvent struct {
	ID   string            `json:"id"`
	From string            `json:"from,omitempty"`
	CSS  map[string]string `json:"css,omitempty"`
}

type problemsEvent struct {
	ID       string   `json:"id"`
	Build    string   `json:"build"`
	Problems []string `json:"problems"`
}

// event is st as a server-sent event; nil while nothing was built.
func event(st *state) []byte {
	var name string
	var v any
	switch {
	case st.failed != nil:
		e := problemsEvent{ID: st.failedID, Problems: make([]string, len(st.failed))}
		for i, p := range st.failed {
			e.Problems[i] = p.String()
		}
		if st.good != nil {
			e.Build = st.good.id
		}
		name, v = "problems", e
	case st.good != nil:
		name, v = "build", buildEvent{ID: st.good.id, From: st.from, CSS: st.css}
	default:
		return nil
	}
	data, err := json.Marshal(v) // one line: JSON escapes newlines
	if err != nil {
		panic(err) // strings and maps of strings always marshal
	}
	return fmt.Appendf(nil, "event: %s\ndata: %s\n\n", name, data)
}

// subscribe returns a channel that is signalled whenever the state
// changes. A signal may stand for several changes: the stream then sends
// only the latest state, which is all a page needs.
func (s *Server) subscribe() chan struct{} {
	ch := make(chan struct{}, 1)
	s.subMu.Lock()
	s.subs[ch] = struct{}{}
	s.subMu.Unlock()
	return ch
}

func (s *Server) unsubscribe(ch chan struct{}) {
	s.subMu.Lock()
	delete(s.subs, ch)
	s.subMu.Unlock()
}

func (s *Server) notify() {
	s.subMu.Lock()
	defer s.subMu.Unlock()
	for ch := range s.subs {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

// Close ends every event stream, so a graceful shutdown does not wait for
// them. The pages reconnect to the next server.
func (s *Server) Close() {
	s.closed.Do(func() { close(s.closing) })
}
