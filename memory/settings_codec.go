package memory

// Settings hash fields.
const (
	fieldThinking = "think"
	fieldSystem   = "sys"
	fieldModel    = "model"
	fieldLang     = "lang"
)

// settingsFields flattens the non-zero fields of s into HSET arguments.
func settingsFields(s Settings) []any {
	var f []any
	if s.Thinking != nil {
		v := "0"
		if *s.Thinking {
			v = "1"
		}
		f = append(f, fieldThinking, v)
	}
	for _, kv := range [...][2]string{
		{fieldSystem, s.SystemPrompt},
		{fieldModel, s.Model},
		{fieldLang, s.Lang},
	} {
		if kv[1] != "" {
			f = append(f, kv[0], kv[1])
		}
	}
	return f
}

// parseSettings reads a settings hash. Unknown fields and an unreadable
// thinking flag are ignored.
func parseSettings(h map[string]string) Settings {
	s := Settings{
		SystemPrompt: h[fieldSystem],
		Model:        h[fieldModel],
		Lang:         h[fieldLang],
	}
	switch h[fieldThinking] {
	case "1":
		s.Thinking = ptr(true)
	case "0":
		s.Thinking = ptr(false)
	}
	return s
}

// settingsReply reads a settings hash as HGETALL returns it inside a
// script: a flat list of fields and values.
func settingsReply(flat []any) Settings {
	h := make(map[string]string, len(flat)/2)
	for i := 0; i+1 < len(flat); i += 2 {
		f, ok1 := flat[i].(string)
		v, ok2 := flat[i+1].(string)
		if ok1 && ok2 {
			h[f] = v
		}
	}
	return parseSettings(h)
}

// cloneSettings copies s so the copy shares no pointer with it.
func cloneSettings(s Settings) Settings {
	if s.Thinking != nil {
		s.Thinking = ptr(*s.Thinking)
	}
	return s
}

func ptr[T any](v T) *T { return &v }
