package llm

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"testing"
)

// bodyRequest is a vision request with photos in the history, a video and
// texts that try to pass for a placeholder or need escaping.
func bodyRequest(imageBytes int) Request {
	rng := rand.New(rand.NewPCG(1, 2))
	photo := func() []byte {
		b := make([]byte, imageBytes)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		return b
	}
	return Request{Model: "qwen3-vl-plus", System: "Be <brief> & exact.", Messages: []Message{
		{Role: RoleUser, Parts: []Part{ImagePart("image/jpeg", photo()), TextPart("\x00" + `x:0" \u0000`)}},
		{Role: RoleAssistant, Parts: []Part{TextPart("x = 2")}},
		{Role: RoleUser, Parts: []Part{ImagePart("image/png", photo()), ImagePart("image/jpeg", photo()),
			{Video: &Video{Frames: []Image{{MIME: "image/jpeg", Data: photo()}, {MIME: "image/jpeg", Data: photo()}}, FPS: 2}},
			TextPart("and this?")}},
	}}
}

// TestBodyLikeMarshal checks that the body with its images spliced in is
// byte for byte what json.Marshal writes with the data URIs in place, in
// both protocols.
func TestBodyLikeMarshal(t *testing.T) {
	for _, proto := range []Protocol{ProtocolDashScope, ProtocolOpenAI} {
		t.Run(string(proto), func(t *testing.T) {
			c := &Client{cfg: withDefaults(Config{Protocol: proto}), models: newModelTable(nil)}
			req := bodyRequest(1000)
			info := c.resolve(&req)
			refs := newImageRefs()
			_, body, _ := c.build(info, &req, refs)
			got, err := refs.marshal(body)
			if err != nil {
				t.Fatal(err)
			}
			if len(refs.images) != 5 {
				t.Fatalf("%d images referred to, want 5", len(refs.images))
			}
			_, plain, _ := c.build(info, &req, nil)
			want, err := json.Marshal(plain)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("body differs from json.Marshal's:\n got %.300s\nwant %.300s", got, want)
			}
		})
	}
}

// TestBodyRefusesBrokenPlaceholders checks that a placeholder that is
// missing or not one of the images fails the request.
func TestBodyRefusesBrokenPlaceholders(t *testing.T) {
	refs := newImageRefs()
	ph := refs.ref(&Image{MIME: "image/jpeg", Data: []byte{1}})
	for _, v := range []any{
		[]string{"no image"},
		[]string{ph + "7"},
		[]string{refs.tag + "x"},
	} {
		if b, err := refs.marshal(v); err == nil {
			t.Errorf("marshal(%q) = %s, want an error", v, b)
		}
	}
}

// BenchmarkBody builds and encodes a request with four 800 kB photos, as
// a photo conversation's turn with its history sends.
func BenchmarkBody(b *testing.B) {
	c := &Client{cfg: withDefaults(Config{}), models: newModelTable(nil)}
	req := bodyRequest(800_000)
	req.Messages[2].Parts = req.Messages[2].Parts[:2] // four photos, no video
	info := c.resolve(&req)
	for _, bb := range []struct {
		name   string
		splice bool
	}{{"spliced", true}, {"json.Marshal", false}} {
		b.Run(bb.name, func(b *testing.B) {
			for b.Loop() {
				var refs *imageRefs
				if bb.splice {
					refs = newImageRefs()
				}
				_, body, _ := c.build(info, &req, refs)
				var err error
				if bb.splice {
					_, err = refs.marshal(body)
				} else {
					_, err = json.Marshal(body)
				}
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
