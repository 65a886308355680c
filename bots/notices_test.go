package bots

import (
	"strings"
	"testing"
)

func TestNotices(t *testing.T) {
	en, zh := NoticesFor("en"), NoticesFor("zh-CN")
	tests := []struct {
		name   string
		en, zh string
		want   []string // substrings of the English text
	}{
		{"denied", en.Denied(), zh.Denied(), []string{"not available"}},
		{"first images", en.FirstImages(6), zh.FirstImages(6), []string{"first 6 images"}},
		{"too large MB", en.ImageTooLarge(20 << 20), zh.ImageTooLarge(20 << 20), []string{"20 MB"}},
		{"too large KB", en.ImageTooLarge(100), zh.ImageTooLarge(100), []string{"1 KB"}},
		{"skipped", en.SkippedImage("a.png", 3<<20), zh.SkippedImage("a.png", 3<<20), []string{"a.png", "3 MB"}},
		{"not downloaded", en.NotDownloaded("b.jpg"), zh.NotDownloaded("b.jpg"), []string{"b.jpg"}},
		{"restarting", en.Restarting(), zh.Restarting(), []string{"restarting"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, w := range tt.want {
				if !strings.Contains(tt.en, w) {
					t.Errorf("en %q lacks %q", tt.en, w)
				}
			}
			if tt.zh == tt.en || tt.zh == "" {
				t.Errorf("zh text %q is not translated", tt.zh)
			}
		})
	}
	if NoticesFor("fr").Denied() != en.Denied() {
		t.Error("unknown languages should fall back to English")
	}
}
