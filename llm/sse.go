package llm

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// maxEventBytes bounds one server-sent event, so a broken server cannot
// make the client buffer without limit. Real events are a few KiB.
const maxEventBytes = 16 << 20

// sseEvent is one dispatched server-sent event.
type sseEvent struct {
	ID    string
	Event string
	// Data is the event's data lines joined with "\n".
	Data string
	// Status is from a ":HTTP_STATUS/NNN" comment line (DashScope native),
	// zero when absent.
	Status int
}

// sseReader parses a text/event-stream. It reads lines with bufio.Reader,
// so lines of any length (up to maxEventBytes) are fine and network chunk
// boundaries do not matter. Lines end in "\n" or "\r\n"; comment lines
// are skipped except DashScope's ":HTTP_STATUS/NNN"; unknown fields (like
// the "iid:1" typo in seeds/002's example) are ignored.
type sseReader struct {
	r     *bufio.Reader
	max   int // bytes per event
	line  []byte
	first bool
}

var errEventTooLarge = fmt.Errorf("server-sent event over %d bytes", maxEventBytes)

// sseBufferSize is the read buffer of one stream. DashScope's frames are a
// few hundred bytes; longer lines are assembled across reads, so a small
// buffer keeps the heap per in-flight stream low.
const sseBufferSize = 4 << 10

func newSSEReader(r io.Reader) *sseReader {
	return &sseReader{r: bufio.NewReaderSize(r, sseBufferSize), max: maxEventBytes, first: true}
}

// next returns the next event. At the end of the input it returns io.EOF,
// or errCutMidFrame when the input stopped inside a line. An event whose
// lines are complete but which lacks the closing blank line is still
// returned before io.EOF.
func (s *sseReader) next() (sseEvent, error) {
	var ev sseEvent
	var data strings.Builder
	hasData, size := false, 0
	for {
		line, err := s.readLine()
		if err != nil {
			if err == io.EOF && (hasData || ev.Event != "") {
				ev.Data = data.String()
				return ev, nil
			}
			return sseEvent{}, err
		}
		if size += len(line); size > s.max {
			return sseEvent{}, errEventTooLarge
		}
		if len(line) == 0 {
			if hasData || ev.Event != "" {
				ev.Data = data.String()
				return ev, nil
			}
			ev = sseEvent{}
			continue
		}
		if s.field(&ev, line) == "data" {
			if hasData {
				data.WriteByte('\n')
			}
			data.Write(fieldValue(line))
			hasData = true
		}
	}
}

// field applies one non-blank line to ev and returns the field name
// ("data" lines are accumulated by the caller).
func (s *sseReader) field(ev *sseEvent, line []byte) string {
	if line[0] == ':' {
		if v, ok := bytes.CutPrefix(line, []byte(":HTTP_STATUS/")); ok {
			if n, err := strconv.Atoi(string(bytes.TrimSpace(v))); err == nil {
				ev.Status = n
			}
		}
		return ""
	}
	name, _, _ := bytes.Cut(line, []byte(":"))
	switch string(name) {
	case "event":
		ev.Event = string(fieldValue(line))
	case "id":
		if v := fieldValue(line); bytes.IndexByte(v, 0) < 0 {
			ev.ID = string(v)
		}
	case "data":
		return "data"
	}
	return ""
}

// fieldValue returns what follows the first colon, minus one leading space.
func fieldValue(line []byte) []byte {
	_, v, found := bytes.Cut(line, []byte(":"))
	if !found {
		return nil
	}
	return bytes.TrimPrefix(v, []byte(" "))
}

// readLine returns the next line without its terminator. The slice is valid
// until the next call.
func (s *sseReader) readLine() ([]byte, error) {
	s.line = s.line[:0]
	for {
		chunk, err := s.r.ReadSlice('\n')
		if len(s.line)+len(chunk) > s.max {
			return nil, errEventTooLarge
		}
		s.line = append(s.line, chunk...)
		switch {
		case err == nil:
			line := bytes.TrimSuffix(bytes.TrimSuffix(s.line, []byte("\n")), []byte("\r"))
			if s.first {
				s.first = false
				line = bytes.TrimPrefix(line, []byte("\ufeff"))
			}
			return line, nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case err == io.EOF && len(s.line) > 0:
			return nil, errCutMidFrame
		default:
			return nil, err
		}
	}
}
