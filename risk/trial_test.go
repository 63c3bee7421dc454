package risk

import "testing"

// TestNewcomersPhrases are texts a newcomer's trial found the first list missed.
func TestNewcomersPhrases(t *testing.T) {
	m, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"I took too much", "Ive taken too much", "took all my methadone", "i took my whole prescription",
		"Im thinking of ending it", "I want to end things", "i'd rather be dead", "i cant do this anymore", "im cutting again",
		"I've been cutting"} {
		if !m.Match(text) {
			t.Errorf("Match(%q) = false, want true", text)
		}
	}
}
