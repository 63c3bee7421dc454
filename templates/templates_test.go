package templates

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the testdata/*.golden files with the current renders")

// mustLoad loads the templates, with overrides from dir, or fails the test.
func mustLoad(t *testing.T, dir string) *Set {
	t.Helper()
	s, err := Load(dir)
	if err != nil {
		t.Fatalf("Load(%q): %v", dir, err)
	}
	return s
}

// writeFiles writes name -> content files into a new temporary directory and
// returns it.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestSamplesAreUniqueAndEmbedded(t *testing.T) {
	seen := map[string]bool{}
	for _, m := range Samples() {
		name := m.Template()
		if seen[name] {
			t.Errorf("template %q is used by more than one sample", name)
		}
		seen[name] = true
		if _, err := embedded.ReadFile("templates/" + name + ext); err != nil {
			t.Errorf("%T: no embedded file for template %q: %v", m, name, err)
		}
	}
	files, err := embedded.ReadDir("templates")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if name := strings.TrimSuffix(f.Name(), ext); !seen[name] {
			t.Errorf("embedded file %s has no sample message", f.Name())
		}
	}
}

func TestSamplesFitInTwoGSM7Segments(t *testing.T) {
	s := mustLoad(t, "")
	for _, m := range Samples() {
		t.Run(m.Template()+"_fits", func(t *testing.T) {
			got, err := s.Render(m)
			if err != nil {
				t.Fatalf("Render(%T): %v", m, err)
			}
			if got == "" {
				t.Fatalf("template %s renders empty text", m.Template())
			}
			if !GSM7(got) {
				t.Errorf("template %s is not GSM-7 (curly quote or emoji?): %q", m.Template(), got)
			}
			if n := Segments(got); n > 2 {
				t.Errorf("template %s needs %d SMS segments, want at most 2: %q", m.Template(), n, got)
			}
		})
	}
}

func TestGolden(t *testing.T) {
	s := mustLoad(t, "")
	want := map[string]bool{}
	for _, m := range Samples() {
		name := m.Template()
		want[name+".golden"] = true
		t.Run(name+"_matches_golden", func(t *testing.T) {
			got, err := s.Render(m)
			if err != nil {
				t.Fatalf("Render(%T): %v", m, err)
			}
			file := filepath.Join("testdata", name+".golden")
			if *update {
				if err := os.WriteFile(file, []byte(got+"\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			b, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if diff := cmp.Diff(strings.TrimSuffix(string(b), "\n"), got); diff != "" {
				t.Errorf("%s render differs from %s (-golden +got):\n%s", name, file, diff)
			}
		})
	}
	t.Run("no_stale_golden_files", func(t *testing.T) {
		files, err := filepath.Glob(filepath.Join("testdata", "*.golden"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if !want[filepath.Base(f)] {
				t.Errorf("%s has no sample message; delete it", f)
			}
		}
	})
}

func TestRenderTrimsWhiteSpace(t *testing.T) {
	tests := []struct {
		name    string
		content string
	}{
		{"trailing_newline_dropped", "Hello from the override.\n"},
		{"trailing_newlines_dropped", "Hello from the override.\n\n"},
		{"windows_line_ending_dropped", "Hello from the override.\r\n"},
		{"leading_and_trailing_blanks_dropped", "\n  Hello from the override.  \n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustLoad(t, writeFiles(t, map[string]string{"person_ack.tmpl": tt.content}))
			got, err := s.Render(PersonAck{})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff("Hello from the override.", got); diff != "" {
				t.Errorf("Render (-want +got):\n%s", diff)
			}
		})
	}

	t.Run("embedded_files_end_in_newline_but_render_without", func(t *testing.T) {
		s := mustLoad(t, "")
		for _, m := range Samples() {
			b, err := embedded.ReadFile("templates/" + m.Template() + ext)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasSuffix(string(b), "\n") {
				t.Errorf("embedded %s%s does not end in a newline", m.Template(), ext)
			}
			got, err := s.Render(m)
			if err != nil {
				t.Fatal(err)
			}
			if got != strings.TrimSpace(got) {
				t.Errorf("%s renders with white space around it: %q", m.Template(), got)
			}
		}
	})

	t.Run("windows_line_endings_inside_become_newlines", func(t *testing.T) {
		s := mustLoad(t, writeFiles(t, map[string]string{"person_ack.tmpl": "Line one.\r\nLine two.\r\n"}))
		got, err := s.Render(PersonAck{})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff("Line one.\nLine two.", got); diff != "" {
			t.Errorf("Render (-want +got):\n%s", diff)
		}
	})
}

func TestLoadOverride(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"volunteer_offer.tmpl": "New request {{.Code}}. ACCEPT or PASS?\n",
		"README.txt":           "Files that do not end in .tmpl are ignored.",
	})
	if err := os.Mkdir(filepath.Join(dir, "old.tmpl"), 0o755); err != nil {
		t.Fatal(err)
	}
	s := mustLoad(t, dir)
	base := mustLoad(t, "")

	t.Run("overridden_template_uses_new_wording", func(t *testing.T) {
		got, err := s.Render(VolunteerOffer{Code: "R7K2"})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff("New request R7K2. ACCEPT or PASS?", got); diff != "" {
			t.Errorf("Render (-want +got):\n%s", diff)
		}
	})
	t.Run("other_templates_keep_embedded_wording", func(t *testing.T) {
		for _, m := range Samples() {
			if m.Template() == "volunteer_offer" {
				continue
			}
			got, err := s.Render(m)
			if err != nil {
				t.Fatal(err)
			}
			want, err := base.Render(m)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("%s: got %q, want the embedded %q", m.Template(), got, want)
			}
		}
	})
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string // substrings the error must contain
	}{
		{
			name:  "unknown_file_name_fails",
			files: map[string]string{"volunter_offer.tmpl": "Someone needs you."},
			want:  []string{"volunter_offer.tmpl", "not a known template", "volunteer_offer"},
		},
		{
			name:  "parse_error_names_file",
			files: map[string]string{"person_ack.tmpl": "Thanks for texting {{if}}."},
			want:  []string{"person_ack.tmpl", "parse"},
		},
		{
			name:  "unclosed_action_names_file",
			files: map[string]string{"person_matched.tmpl": "{{.Name is here."},
			want:  []string{"person_matched.tmpl"},
		},
		{
			name:  "missing_field_fails_at_load",
			files: map[string]string{"volunteer_offer.tmpl": "Request from {{.Name}}."},
			want:  []string{"volunteer_offer.tmpl", "does not render with sample data", "Name"},
		},
		{
			name:  "field_on_wrong_message_fails_at_load",
			files: map[string]string{"person_ack.tmpl": "Thanks {{.Name}}."},
			want:  []string{"person_ack.tmpl", "Name"},
		},
		{
			name:  "empty_file_fails_at_load",
			files: map[string]string{"person_waiting.tmpl": "  \n"},
			want:  []string{"person_waiting.tmpl", "empty"},
		},
		{
			name: "every_broken_file_is_reported",
			files: map[string]string{
				"persn_ack.tmpl":       "Hi.",
				"person_closed.tmpl":   "{{end}}",
				"volunteer_busy.tmpl":  "{{.Cod}}",
				"volunteer_on.tmpl":    "Fine.",
				"coordinator.txt.tmpl": "Hi.",
			},
			want: []string{"persn_ack.tmpl", "person_closed.tmpl", "coordinator.txt.tmpl"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeFiles(t, tt.files)
			s, err := Load(dir)
			if err == nil {
				t.Fatalf("Load succeeded, want an error containing %q", tt.want)
			}
			if s != nil {
				t.Errorf("Load returned a Set along with error %v", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Load error %q does not contain %q", err, w)
				}
			}
		})
	}

	t.Run("missing_directory_fails", func(t *testing.T) {
		if _, err := Load(filepath.Join(t.TempDir(), "nope")); err == nil {
			t.Error("Load of a missing directory succeeded, want an error")
		}
	})
	t.Run("empty_directory_loads_embedded", func(t *testing.T) {
		mustLoad(t, t.TempDir())
	})
	t.Run("bad_field_after_fix_loads", func(t *testing.T) {
		mustLoad(t, writeFiles(t, map[string]string{"volunteer_busy.tmpl": "In chat {{.Code}}."}))
	})
}

// unknownMessage is a Message with no template.
type unknownMessage struct{}

func (unknownMessage) Template() string { return "no_such_template" }

func TestRenderErrors(t *testing.T) {
	s := mustLoad(t, "")
	tests := []struct {
		name string
		set  *Set
		msg  Message
	}{
		{"unknown_template_fails", s, unknownMessage{}},
		{"nil_message_fails", s, nil},
		{"nil_set_fails", nil, PersonAck{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.set.Render(tt.msg)
			if err == nil {
				t.Errorf("Render = %q, want an error", got)
			}
		})
	}
}

func TestRenderPointerMessage(t *testing.T) {
	s := mustLoad(t, "")
	got, err := s.Render(&PersonMatched{Name: "Ana"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(got, "Ana, a peer supporter") {
		t.Errorf("Render(&PersonMatched) = %q, want it to start with the name", got)
	}
}

func TestVolunteerStatus(t *testing.T) {
	s := mustLoad(t, "")
	tests := []struct {
		name string
		msg  VolunteerStatus
		want string
	}{
		{
			name: "on_shift_in_chat_mentions_chat",
			msg:  VolunteerStatus{Available: true, OnShift: true, Code: "R7K2", Offers: 1},
			want: "You're in chat R7K2. You're ON. Your shift is on now. Offers to answer: 1.",
		},
		{
			name: "no_chat_leaves_chat_out",
			msg:  VolunteerStatus{Available: true, OnShift: true, Offers: 0},
			want: "You're ON. Your shift is on now. Offers to answer: 0.",
		},
		{
			name: "off_and_off_shift_says_so",
			msg:  VolunteerStatus{Offers: 2},
			want: "You're OFF. You're not on shift right now. Offers to answer: 2.",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Render(tt.msg)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Render (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRenderConcurrent(t *testing.T) {
	s := mustLoad(t, "")
	samples := Samples()
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() {
			for _, m := range samples {
				if _, err := s.Render(m); err != nil {
					errs[i] = fmt.Errorf("%s: %w", m.Template(), err)
					return
				}
			}
		})
	}
	wg.Wait()
	if i := slices.IndexFunc(errs, func(err error) bool { return err != nil }); i >= 0 {
		t.Error(errs[i])
	}
}
