package memory

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"time"
)

// encodeTurn marshals t for storage, setting At to now when zero and
// clamping Tokens at zero.
func encodeTurn(t Turn, now time.Time) ([]byte, error) {
	if t.At.IsZero() {
		t.At = now
	}
	t.Tokens = max(t.Tokens, 0)
	raw, err := json.Marshal(t)
	if err != nil {
		return nil, fmt.Errorf("encode turn: %w", err)
	}
	return raw, nil
}

// decodeTurn unmarshals a stored turn. JSON that is not one of our turns
// (no timestamp) is rejected as foreign.
func decodeTurn(raw []byte) (Turn, error) {
	var t Turn
	if err := json.Unmarshal(raw, &t); err != nil {
		return Turn{}, err
	}
	if t.At.IsZero() {
		return Turn{}, fmt.Errorf("no timestamp")
	}
	return t, nil
}

// decodeTurns decodes raw entries oldest first, skipping (and reporting
// with the key and index, never the content) any that do not decode.
func decodeTurns(log *slog.Logger, key string, raws [][]byte) []Turn {
	turns := make([]Turn, 0, len(raws))
	for i, raw := range raws {
		t, err := decodeTurn(raw)
		if err != nil {
			log.Warn("skip unreadable history entry", "key", key, "index", i, "bytes", len(raw), "err", err)
			continue
		}
		turns = append(turns, t)
	}
	return turns
}

// rawTokens reads Tokens from the `{"k":N` prefix encodeTurn writes; the
// Redis append script does the same with a Lua pattern. Foreign entries
// count zero.
func rawTokens(raw []byte) int {
	const pre = `{"k":`
	if len(raw) < len(pre) || string(raw[:len(pre)]) != pre {
		return 0
	}
	end := len(pre)
	for end < len(raw) && raw[end] >= '0' && raw[end] <= '9' {
		end++
	}
	n, err := strconv.Atoi(string(raw[len(pre):end]))
	if err != nil {
		return 0
	}
	return n
}

// keepCount returns how many of the newest n entries to keep: at most
// maxTurns, and no more than fit in maxTokens (if not negative), but always
// at least the newest one. tokens(i) is the cost of entry i, oldest first.
func keepCount(n int, tokens func(i int) int, maxTurns, maxTokens int) int {
	keep := min(n, maxTurns)
	if maxTokens < 0 {
		return keep
	}
	total := 0
	for i := 0; i < keep; i++ {
		k := tokens(n - 1 - i)
		if i > 0 && total+k > maxTokens {
			return i
		}
		total += k
	}
	return keep
}

// upload is one image Append stores (data) or only refreshes (nil data).
type upload struct {
	hash string
	data []byte
}

// imageUploads lists the distinct images of an Append: the given images with
// their bytes, then refs of the turn that came without bytes (refreshed if
// still stored).
func imageUploads(refs []ImageRef, images []Image) ([]upload, error) {
	seen := make(map[string]bool, len(images)+len(refs))
	ups := make([]upload, 0, len(images)+len(refs))
	for _, img := range images {
		if !validHash(img.Ref.Hash) {
			return nil, fmt.Errorf("image hash %q is not a hex sha256 (use NewImage)", img.Ref.Hash)
		}
		if len(img.Data) == 0 {
			return nil, fmt.Errorf("image %s has no data", img.Ref.Hash)
		}
		if !seen[img.Ref.Hash] {
			seen[img.Ref.Hash] = true
			ups = append(ups, upload{hash: img.Ref.Hash, data: img.Data})
		}
	}
	for _, r := range refs {
		if !validHash(r.Hash) {
			return nil, fmt.Errorf("image ref hash %q is not a hex sha256", r.Hash)
		}
		if !seen[r.Hash] {
			seen[r.Hash] = true
			ups = append(ups, upload{hash: r.Hash})
		}
	}
	return ups, nil
}

// imageWindow returns the distinct valid hashes of the newest n image
// refs, newest first, as the Redis load script picks them.
func imageWindow(turns []Turn, n int) []string {
	var out []string
	seen := make(map[string]bool)
	for i := len(turns) - 1; i >= 0 && len(out) < n; i-- {
		refs := turns[i].Images
		for j := len(refs) - 1; j >= 0 && len(out) < n; j-- {
			h := refs[j].Hash
			if validHash(h) && !seen[h] {
				seen[h] = true
				out = append(out, h)
			}
		}
	}
	return out
}
