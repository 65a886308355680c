package llm_test

import (
	"testing"

	"github.com/qwenbot/qwenbot/llm"
)

func TestPixelBudget(t *testing.T) {
	m := llm.ModelInfo{DefaultMaxPixels: 2621440, HighResMaxPixels: 16777216}
	old := llm.ModelInfo{DefaultMaxPixels: 1003520}
	tests := []struct {
		name    string
		m       llm.ModelInfo
		max     int
		highRes bool
		want    int
	}{
		{"default", m, 0, false, 2621440},
		{"configured wins", m, 1000000, true, 1000000},
		{"high resolution", m, 0, true, 16777216},
		{"no high-resolution cap", old, 0, true, 1003520},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.m.PixelBudget(tt.max, tt.highRes); got != tt.want {
				t.Errorf("PixelBudget(%d, %v) = %d, want %d", tt.max, tt.highRes, got, tt.want)
			}
		})
	}
}
