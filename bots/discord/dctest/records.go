package dctest

import (
	"bytes"
	"encoding/json"
	"image"
	"net/http"
	"strconv"

	"github.com/bwmarrin/discordgo"
)

// Callback is an interaction response received on the callback endpoint.
type Callback struct {
	InteractionID string
	Token         string
	// Type is the response type: 4 message, 5 deferred, 6 deferred
	// update, 9 modal.
	Type    int
	Content string
	Flags   int
	// CustomID and Title are a modal's.
	CustomID, Title string
}

// Callbacks returns the interaction responses received, in order.
func (s *Server) Callbacks() []Callback {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Callback(nil), s.callbacks...)
}

// Overwrite is one bulk overwrite of the application's commands.
type Overwrite struct {
	App string
	// Guild is "" for global commands.
	Guild    string
	Commands []*discordgo.ApplicationCommand
}

// Overwrites returns the command overwrites received, in order.
func (s *Server) Overwrites() []Overwrite {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Overwrite(nil), s.overwrite...)
}

// overwriteCommands records a bulk overwrite and echoes the commands with
// ids.
func (s *Server) overwriteCommands(w http.ResponseWriter, r Request, m []string) {
	var cmds []*discordgo.ApplicationCommand
	if err := json.Unmarshal(r.Body, &cmds); err != nil {
		apiError(w, http.StatusBadRequest, 50109, "The request body contains invalid JSON.")
		return
	}
	o := Overwrite{App: m[1], Commands: cmds}
	if len(m) > 2 {
		o.Guild = m[2]
	}
	s.mu.Lock()
	for _, c := range cmds {
		c.ID, c.ApplicationID, c.GuildID = s.newIDLocked(), o.App, o.Guild
	}
	s.overwrite = append(s.overwrite, o)
	s.notifyLocked()
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, cmds)
}

// AddAttachment serves data as an attachment of the fake CDN (its url)
// and media proxy (its proxy_url, see media) and returns it as Discord
// describes it in messages and resolved interaction data: with its width
// and height when data is an image. Both URLs carry the signature
// parameters Discord appends (ex, is, hm).
func (s *Server) AddAttachment(filename, contentType string, data []byte) *discordgo.MessageAttachment {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.newIDLocked()
	key := id + "/" + filename
	s.files[key] = file{contentType: contentType, data: data}
	sig := "?ex=" + strconv.Itoa(len(data)) + "&is=0&hm=" + id
	a := &discordgo.MessageAttachment{
		ID: id, Filename: filename, ContentType: contentType, Size: len(data),
		URL:      s.srv.URL + "/attachments/" + key + sig,
		ProxyURL: s.srv.URL + "/media/attachments/" + key + sig,
	}
	if c, _, err := image.DecodeConfig(bytes.NewReader(data)); err == nil {
		a.Width, a.Height = c.Width, c.Height
	}
	return a
}

// Downloads returns the attachments downloaded, as "<id>/<filename>".
func (s *Server) Downloads() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.downloads...)
}

// ExpireToken makes every later use of an interaction token fail the way
// Discord fails it after 15 minutes: 401 Invalid Webhook Token (50027).
func (s *Server) ExpireToken(token string) {
	s.mu.Lock()
	s.expired[token] = true
	s.mu.Unlock()
}
