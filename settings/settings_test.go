package settings_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"peerline/settings"
)

func TestReader(t *testing.T) {
	file := filepath.Join(t.TempDir(), ".env")
	if err := os.WriteFile(file, []byte("LINE_ID=from-file\nLINE_TIMEZONE=Europe/Paris\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"LINE_TIMEZONE": "America/New_York"}
	r, err := settings.New(func(k string) string { return env[k] }, file)
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Line(); got != "from-file" {
		t.Errorf("Line = %q, want the file's value", got)
	}
	if got := r.Location().String(); got != "America/New_York" {
		t.Errorf("Location = %q, want the environment's value over the file's", got)
	}
	if got := r.Region(); got != "GB" {
		t.Errorf("Region = %q, want the default", got)
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
}

func TestReaderReportsEveryProblem(t *testing.T) {
	env := map[string]string{"LINE_ID": "Main Line", "LINE_TIMEZONE": "Mars/Olympus", "DEFAULT_REGION": "XX", "REDIS_URL": "::"}
	r, err := settings.New(func(k string) string { return env[k] }, filepath.Join(t.TempDir(), "missing.env"))
	if err != nil {
		t.Fatalf("a missing file must be fine: %v", err)
	}
	r.Line()
	r.Location()
	r.Region()
	r.Redis()
	err = r.Err()
	for _, k := range []string{"LINE_ID", "LINE_TIMEZONE", "DEFAULT_REGION", "REDIS_URL"} {
		if err == nil || !strings.Contains(err.Error(), k) {
			t.Errorf("error %v does not name %s", err, k)
		}
	}
}

func TestUnreadableFileIsAnError(t *testing.T) {
	if _, err := settings.New(func(string) string { return "" }, t.TempDir()); err == nil {
		t.Fatal("a directory given as the .env file was accepted")
	}
}
