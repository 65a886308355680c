package main

import "testing"

func TestBurstTargets(t *testing.T) {
	o := defaultOptions()
	o.Scenario, o.Users = scenarioBurst, 6
	tests := []struct {
		name      string
		delivered int
		last      float64
		want      bool
	}{
		{"every final in time", 6, 18_500, true},
		{"the last final too late", 6, 19_500, false},
		{"a final missing", 5, 12_000, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := report{FinalsExpected: 6, FinalsDelivered: tc.delivered, BurstLimitMs: ms(o.burstLimit()),
				Question: summary{N: tc.delivered, Max: tc.last}}
			got := r.check(o)
			if got.BurstLastFinal == nil || *got.BurstLastFinal != tc.want {
				t.Errorf("burst_last_final = %v, want %v", got.BurstLastFinal, tc.want)
			}
			if got.Final != nil || got.Staleness != nil || got.No429 == nil {
				t.Errorf("targets of the mixed load in a burst: %+v", got)
			}
		})
	}
}
