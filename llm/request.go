package llm

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// Request is one question to the model with its conversation so far.
type Request struct {
	// Model overrides Config.Model; "" picks Config.Model, or
	// Config.TextModel when no message holds an image.
	Model string
	// System is the system prompt; "" sends none.
	System string
	// Messages are oldest first; the last is the user's new message.
	Messages []Message
	// Thinking asks for reasoning. It switches hybrid models; thinking-only
	// models reason regardless, and models without thinking ignore it.
	Thinking bool
	// ThinkingBudget caps reasoning tokens (thinking_budget); 0 = not sent.
	ThinkingBudget int
	// MaxTokens caps answer tokens (max_tokens); 0 = not sent.
	MaxTokens int
	// Temperature and TopP are sent when non-nil (never to QVQ, whose
	// defaults the API reference advises keeping).
	Temperature, TopP *float64
	// HighResolution sends vl_high_resolution_images (native protocol,
	// vision models that have it).
	HighResolution bool
	// MaxPixels sets max_pixels on every image, clamped to the model's
	// range; 0 = not sent. Ignored with HighResolution on a model that has
	// vl_high_resolution_images, which fixes the cap.
	MaxPixels int
}

// Role is the author of a message.
type Role string

// Roles a Message may have. The system prompt goes in Request.System.
const (
	RoleUser      Role = "user"
	RoleAssistant Role = "assistant"
)

// Message is one turn of the conversation.
type Message struct {
	Role  Role
	Parts []Part
}

// Part is a piece of a message: at most one of Text, Image and Video is
// set. Empty text parts are dropped, but every message needs some text, an
// image or a video.
type Part struct {
	Text  string
	Image *Image
	Video *Video
}

// Image is an image's bytes. It is sent as "data:<MIME>;base64,…", never by
// URL.
type Image struct {
	// MIME is the content type, e.g. "image/jpeg".
	MIME string
	Data []byte
}

// TextPart returns a text part.
func TextPart(s string) Part { return Part{Text: s} }

// ImagePart returns an image part.
func ImagePart(mime string, data []byte) Part {
	return Part{Image: &Image{MIME: mime, Data: data}}
}

// dataURI returns the image as a data URI.
func (im *Image) dataURI() string {
	return "data:" + im.MIME + ";base64," + base64.StdEncoding.EncodeToString(im.Data)
}

// dataURILen is len(im.dataURI()) without building it.
func (im *Image) dataURILen() int {
	return len("data:;base64,") + len(im.MIME) + base64.StdEncoding.EncodedLen(len(im.Data))
}

// validate checks the request's shape.
func (r *Request) validate() error {
	if len(r.Messages) == 0 {
		return errors.New("no messages")
	}
	var errs []error
	for i, m := range r.Messages {
		if m.Role != RoleUser && m.Role != RoleAssistant {
			errs = append(errs, fmt.Errorf("message %d: unknown role %q", i, m.Role))
		}
		if !hasContent(m.Parts) {
			errs = append(errs, fmt.Errorf("message %d: no text or image", i))
		}
		for j, p := range m.Parts {
			if err := p.validate(); err != nil {
				errs = append(errs, fmt.Errorf("message %d part %d: %w", i, j, err))
			}
		}
	}
	if last := r.Messages[len(r.Messages)-1]; last.Role != RoleUser {
		errs = append(errs, errors.New("last message is not from the user"))
	}
	if r.ThinkingBudget < 0 || r.MaxTokens < 0 || r.MaxPixels < 0 {
		errs = append(errs, errors.New("negative thinking budget, max tokens or max pixels"))
	}
	return errors.Join(errs...)
}

func (p Part) validate() error {
	if p.Video != nil {
		return p.Video.validate(p.Text != "" || p.Image != nil)
	}
	if p.Image == nil {
		return nil
	}
	if p.Text != "" {
		return errors.New("both text and image set")
	}
	if !strings.HasPrefix(p.Image.MIME, "image/") {
		return fmt.Errorf("image MIME type %q is not image/*", p.Image.MIME)
	}
	if len(p.Image.Data) == 0 {
		return errors.New("empty image")
	}
	return nil
}

// checkImageSizes returns an ErrImageTooLarge error for the first image
// whose data URI exceeds MaxDataURIBytes.
func checkImageSizes(msgs []Message) error {
	for i, m := range msgs {
		for j, p := range m.Parts {
			if p.Image != nil && p.Image.dataURILen() > MaxDataURIBytes {
				return fmt.Errorf("message %d part %d: data uri of %d bytes exceeds %d: %w",
					i, j, p.Image.dataURILen(), MaxDataURIBytes, ErrImageTooLarge)
			}
			if p.Video != nil {
				if err := p.Video.checkSizes(); err != nil {
					return fmt.Errorf("message %d part %d: %w", i, j, err)
				}
			}
		}
	}
	return nil
}

// hasContent reports whether parts hold an image or non-empty text. Empty
// text parts are skipped when requests are built.
func hasContent(parts []Part) bool {
	for _, p := range parts {
		if p.Image != nil || p.Video != nil || p.Text != "" {
			return true
		}
	}
	return false
}

// hasImage reports whether any message holds an image.
func hasImage(msgs []Message) bool {
	for _, m := range msgs {
		for _, p := range m.Parts {
			if p.Image != nil || p.Video != nil {
				return true
			}
		}
	}
	return false
}

// plainText joins a message's text parts, standing "[image]" in for images
// (for text models, which take a string).
func plainText(parts []Part) string {
	texts := make([]string, 0, len(parts))
	for _, p := range parts {
		switch {
		case p.Image != nil:
			texts = append(texts, "[image]")
		case p.Video != nil:
			texts = append(texts, "[video]")
		case p.Text != "":
			texts = append(texts, p.Text)
		}
	}
	return strings.Join(texts, "\n")
}

// foldSystem returns msgs with system prepended as a text part of the first
// user message, for models that ignore system messages. msgs is not
// modified.
func foldSystem(system string, msgs []Message) []Message {
	if system == "" {
		return msgs
	}
	out := append([]Message(nil), msgs...)
	for i, m := range out {
		if m.Role == RoleUser {
			parts := make([]Part, 0, len(m.Parts)+1)
			parts = append(parts, TextPart(system))
			out[i].Parts = append(parts, m.Parts...)
			break
		}
	}
	return out
}

// clampPixels bounds a requested max_pixels to the model's accepted range.
func clampPixels(want int, info ModelInfo) int {
	if want <= 0 || info.MaxMaxPixels == 0 {
		return 0
	}
	return max(info.MinPixels, min(want, info.MaxMaxPixels))
}
