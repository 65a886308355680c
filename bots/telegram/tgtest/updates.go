package tgtest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

// maxPoll caps how long a getUpdates call waits, whatever its timeout.
const maxPoll = 30 * time.Second

// Push queues an update carrying m and returns its update_id.
func (s *Server) Push(m Message) int {
	return s.PushUpdate(map[string]any{"message": s.render(m)})
}

// PushCallback queues a callback query (an inline button press) and
// returns its update_id.
func (s *Server) PushCallback(q Callback) int {
	return s.PushUpdate(map[string]any{"callback_query": s.renderCallback(q)})
}

// PushUpdate queues an update given as its JSON members (without
// update_id, which it assigns and returns).
func (s *Server) PushUpdate(u map[string]any) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.nextUpd
	s.nextUpd++
	u["update_id"] = id
	raw, _ := json.Marshal(u) // plain maps always encode
	s.updates = append(s.updates, queuedUpdate{id: id, raw: raw})
	s.notifyLocked()
	return id
}

// Update returns the JSON of an update carrying m with the given id, for
// posting to a webhook. It is not queued.
func (s *Server) Update(id int, m Message) []byte {
	raw, _ := json.Marshal(map[string]any{"update_id": id, "message": s.render(m)})
	return raw
}

// Pending returns the number of queued updates not yet confirmed by a
// getUpdates offset.
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.updates)
}

// getUpdates answers a long poll: it confirms the updates before offset,
// then returns the queued updates at once, or waits for one until the
// timeout, the client going away or the server closing.
func (s *Server) getUpdates(w http.ResponseWriter, r *http.Request, c Call) {
	offset, limit := int(c.Int("offset")), int(c.Int("limit"))
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	wait := min(time.Duration(c.Int("timeout"))*time.Second, maxPoll)
	deadline := time.After(wait)
	for {
		s.mu.Lock()
		if s.webhook != "" {
			s.mu.Unlock()
			writeFailure(w, Failure{Code: 409, Description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"})
			return
		}
		s.confirmLocked(offset)
		n := min(len(s.updates), limit)
		batch := make([]json.RawMessage, 0, n)
		for _, u := range s.updates[:n] {
			batch = append(batch, u.raw)
		}
		changed := s.changed
		s.mu.Unlock()
		if n > 0 || wait <= 0 {
			writeOK(w, batch)
			return
		}
		select {
		case <-changed:
		case <-deadline:
			writeOK(w, batch)
			return
		case <-r.Context().Done():
			return
		case <-s.closed:
			return
		}
	}
}

// confirmLocked drops the updates before offset.
func (s *Server) confirmLocked(offset int) {
	i := 0
	for i < len(s.updates) && s.updates[i].id < offset {
		i++
	}
	if i > 0 {
		s.updates = s.updates[i:]
		s.notifyLocked()
	}
}

// AddFile stores a file for getFile under fileID.
func (s *Server) AddFile(fileID string, data []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.files[fileID] = storedFile{path: "photos/" + fileID + ".jpg", data: data}
}

// AddFileWithoutSize stores a file whose getFile answer omits file_size,
// as Telegram may for large files.
func (s *Server) AddFileWithoutSize(fileID string, data []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.files[fileID] = storedFile{path: "documents/" + fileID, data: data, unsized: true}
}

// getFile answers with a stored file's path and size.
func (s *Server) getFile(w http.ResponseWriter, c Call) {
	id := c.Params["file_id"]
	s.mu.Lock()
	f, ok := s.files[id]
	s.mu.Unlock()
	if !ok {
		writeFailure(w, BadRequest("invalid file_id"))
		return
	}
	out := map[string]any{"file_id": id, "file_unique_id": "u" + id, "file_path": f.path}
	if !f.unsized {
		out["file_size"] = len(f.data)
	}
	writeOK(w, out)
}

// serveFile serves a stored file's bytes by path.
func (s *Server) serveFile(w http.ResponseWriter, path string) {
	s.mu.Lock()
	var data []byte
	found := false
	for _, f := range s.files {
		if f.path == path {
			data, found = f.data, true
		}
	}
	s.mu.Unlock()
	if !found {
		http.NotFound(w, nil)
		return
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	_, _ = w.Write(data)
}
