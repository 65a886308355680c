package main

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"strconv"
)

// textMessage is the user's n-th question in c: in groups an /ask
// command, in private chats plain text. Its tag lets the fakes find the
// turn again.
func (w *world) textMessage(c *simChat, n int) tgMessage {
	text := fmt.Sprintf("Question %d: how do I solve this step by step? %s", n, tagText(c.id, n))
	m := w.message(c)
	if c.group {
		m.Text = "/ask " + text
		m.Entities = []tgEntity{{Type: "bot_command", Offset: 0, Length: len("/ask")}}
	} else {
		m.Text = text
	}
	return m
}

// photoMessage is the n-th photo of the image conversation, with a
// caption; the photo is stored for getFile.
func (w *world) photoMessage(c *simChat, n int) (tgMessage, error) {
	data, err := w.images.make(n)
	if err != nil {
		return tgMessage{}, err
	}
	id := "photo" + strconv.Itoa(n)
	c.bot.addFile(id, data)
	m := w.message(c)
	m.Caption = fmt.Sprintf("And this one (page %d)? %s", n, tagText(c.id, n))
	m.Photo = []tgPhoto{{FileID: id, FileUniqueID: "u" + id, Width: w.images.width,
		Height: w.images.height, FileSize: len(data)}}
	return m, nil
}

// message is a new message of c's user.
func (w *world) message(c *simChat) tgMessage {
	chat := tgChatJSON{ID: c.id, Type: "private"}
	if c.group {
		chat.Type, chat.Title = "supergroup", "Study group "+strconv.FormatInt(-c.id-groupBase, 10)
	}
	return tgMessage{MessageID: c.bot.nextMessageID(c.id), From: &c.user, Chat: chat, Date: w.now().Unix()}
}

// imageMaker draws the photos of the image conversation: a different
// picture every turn, textured enough to compress like a photo of a page.
type imageMaker struct {
	width, height int
}

// make returns the n-th photo as a JPEG.
func (m imageMaker) make(n int) ([]byte, error) {
	img := image.NewYCbCr(image.Rect(0, 0, m.width, m.height), image.YCbCrSubsampleRatio420)
	for y := range m.height {
		for x := range m.width {
			v := uint8((x*7 + y*13 + n*31) ^ (x * y >> 5))
			img.Y[img.YOffset(x, y)] = 160 + v/3
		}
	}
	for i := range img.Cb {
		img.Cb[i] = uint8(128 + n)
	}
	for i := range img.Cr {
		img.Cr[i] = uint8(128 - n)
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
		return nil, fmt.Errorf("encode photo %d: %w", n, err)
	}
	return buf.Bytes(), nil
}
