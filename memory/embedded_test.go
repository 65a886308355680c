package memory

import "testing"

func TestEmbedded(t *testing.T) {
	testStore(t, newEmbeddedUnderTest)
}
