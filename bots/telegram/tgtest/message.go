package tgtest

import (
	"unicode/utf16"
)

// User is a Telegram user.
type User struct {
	ID        int64
	IsBot     bool
	FirstName string
	LastName  string
	Username  string
	// LanguageCode is the IETF tag of the user's app language, or "".
	LanguageCode string
}

func (u User) json() map[string]any {
	out := map[string]any{"id": u.ID, "is_bot": u.IsBot, "first_name": u.FirstName}
	if u.LastName != "" {
		out["last_name"] = u.LastName
	}
	if u.Username != "" {
		out["username"] = u.Username
	}
	if u.LanguageCode != "" {
		out["language_code"] = u.LanguageCode
	}
	return out
}

// Chat is a Telegram chat. Type is "private", "group" or "supergroup".
type Chat struct {
	ID      int64
	Type    string
	Title   string
	IsForum bool
}

// PrivateChat is the private chat with u.
func PrivateChat(u User) Chat { return Chat{ID: u.ID, Type: "private"} }

// GroupChat is a supergroup with the given (negative) id.
func GroupChat(id int64) Chat { return Chat{ID: id, Type: "supergroup", Title: "Study group"} }

// ForumChat is a forum supergroup (with topics) with the given id.
func ForumChat(id int64) Chat {
	return Chat{ID: id, Type: "supergroup", Title: "Study forum", IsForum: true}
}

func (c Chat) json() map[string]any {
	out := map[string]any{"id": c.ID, "type": c.Type}
	if c.Title != "" {
		out["title"] = c.Title
	}
	if c.IsForum {
		out["is_forum"] = true
	}
	return out
}

// PhotoSize is one size of a photo.
type PhotoSize struct {
	FileID   string
	Width    int
	Height   int
	FileSize int
}

// Photo returns the sizes Telegram sends for a photo: a thumbnail
// (fileID+"_s") and the full size fileID of size bytes, largest last.
func Photo(fileID string, size int) []PhotoSize {
	return []PhotoSize{{FileID: fileID + "_s", Width: 90, Height: 68, FileSize: 1200}, {FileID: fileID, Width: 1280, Height: 960, FileSize: size}}
}

// Document is a file sent without compression.
type Document struct {
	FileID   string
	FileName string
	MimeType string
	FileSize int
}

// Entity is a message entity; Offset and Length are in UTF-16 units.
type Entity struct {
	Type   string
	Offset int
	Length int
	User   *User
}

// Message is an incoming message.
type Message struct {
	// ID is assigned when 0.
	ID   int
	Chat Chat
	From User
	// ThreadID puts the message in a forum topic (is_topic_message).
	ThreadID int
	Text     string
	Caption  string
	// Entities of Text or Caption; nil means detect bot commands and
	// @mentions as Telegram does.
	Entities     []Entity
	Photo        []PhotoSize
	Document     *Document
	MediaGroupID string
	// ReplyTo is the message replied to. In a forum topic a message without
	// ReplyTo replies to the topic's creation message, as in Telegram.
	ReplyTo *Message
	// Video, VideoNote and Animation are clips (see Clip). An animation
	// also sets "document", as Telegram does.
	Video, VideoNote, Animation *Clip
}

// Clip is a video, video note or animation.
type Clip struct {
	FileID   string
	Duration int // seconds
	MimeType string
	FileSize int
}

func (c *Clip) json() map[string]any {
	out := map[string]any{"file_id": c.FileID, "file_unique_id": "u" + c.FileID, "width": 320, "height": 240,
		"duration": c.Duration, "file_size": c.FileSize}
	if c.MimeType != "" {
		out["mime_type"] = c.MimeType
	}
	return out
}

// Callback is an inline button press on the bot's message Message.
type Callback struct {
	ID      string
	From    User
	Message Message
	Data    string
}

// render returns the Message object JSON.
func (s *Server) render(m Message) map[string]any {
	if m.ID == 0 {
		s.mu.Lock()
		s.nextMsg++
		m.ID = s.nextMsg
		s.mu.Unlock()
	}
	out := map[string]any{"message_id": m.ID, "date": 1700000000, "chat": m.Chat.json(), "from": m.From.json()}
	addText(out, m)
	if len(m.Photo) > 0 {
		var sizes []map[string]any
		for _, p := range m.Photo {
			sizes = append(sizes, map[string]any{"file_id": p.FileID, "file_unique_id": "u" + p.FileID, "width": p.Width, "height": p.Height, "file_size": p.FileSize})
		}
		out["photo"] = sizes
	}
	if d := m.Document; d != nil {
		out["document"] = map[string]any{"file_id": d.FileID, "file_unique_id": "u" + d.FileID, "file_name": d.FileName, "mime_type": d.MimeType, "file_size": d.FileSize}
	}
	if m.MediaGroupID != "" {
		out["media_group_id"] = m.MediaGroupID
	}
	if m.Video != nil {
		out["video"] = m.Video.json()
	}
	if m.VideoNote != nil {
		vn := m.VideoNote.json()
		delete(vn, "mime_type")
		vn["length"] = 240
		out["video_note"] = vn
	}
	if m.Animation != nil {
		out["animation"] = m.Animation.json()
		out["document"] = map[string]any{"file_id": m.Animation.FileID, "file_unique_id": "u" + m.Animation.FileID,
			"mime_type": m.Animation.MimeType, "file_size": m.Animation.FileSize}
	}
	if m.ThreadID != 0 {
		out["message_thread_id"] = m.ThreadID
		out["is_topic_message"] = true
	}
	switch {
	case m.ReplyTo != nil:
		r := *m.ReplyTo
		if r.Chat.ID == 0 {
			r.Chat = m.Chat
		}
		out["reply_to_message"] = s.render(r)
	case m.ThreadID != 0:
		out["reply_to_message"] = map[string]any{
			"message_id": m.ThreadID, "date": 1690000000, "chat": m.Chat.json(), "from": m.From.json(),
			"message_thread_id": m.ThreadID, "forum_topic_created": map[string]any{"name": "Topic", "icon_color": 7322096},
		}
	}
	return out
}

// addText sets text or caption and their entities.
func addText(out map[string]any, m Message) {
	text, key, entKey := m.Text, "text", "entities"
	if text == "" {
		text, key, entKey = m.Caption, "caption", "caption_entities"
	}
	if text == "" {
		return
	}
	out[key] = text
	ents := m.Entities
	if ents == nil {
		ents = DetectEntities(text)
	}
	if len(ents) == 0 {
		return
	}
	var list []map[string]any
	for _, e := range ents {
		j := map[string]any{"type": e.Type, "offset": e.Offset, "length": e.Length}
		if e.User != nil {
			j["user"] = e.User.json()
		}
		list = append(list, j)
	}
	out[entKey] = list
}

// renderCallback returns the CallbackQuery object JSON.
func (s *Server) renderCallback(q Callback) map[string]any {
	return map[string]any{"id": q.ID, "from": q.From.json(), "message": s.render(q.Message), "chat_instance": "42", "data": q.Data}
}

// DetectEntities finds the bot commands ("/cmd" or "/cmd@bot" at a word
// start) and @mentions in text, as Telegram does, with UTF-16 offsets.
func DetectEntities(text string) []Entity {
	u := utf16.Encode([]rune(text))
	var out []Entity
	for i := 0; i < len(u); i++ {
		if i > 0 && isWord(u[i-1]) || (u[i] != '/' && u[i] != '@') {
			continue
		}
		j := i + 1
		for j < len(u) && isWord(u[j]) {
			j++
		}
		if u[i] == '/' && j > i+1 {
			if j < len(u) && u[j] == '@' {
				k := j + 1
				for k < len(u) && isWord(u[k]) {
					k++
				}
				if k > j+1 {
					j = k
				}
			}
			out = append(out, Entity{Type: "bot_command", Offset: i, Length: j - i})
		} else if u[i] == '@' && j-i-1 >= 5 {
			out = append(out, Entity{Type: "mention", Offset: i, Length: j - i})
		}
		i = j - 1
	}
	return out
}

// isWord reports whether c may appear in a command or username.
func isWord(c uint16) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
