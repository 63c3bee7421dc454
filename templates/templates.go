package templates

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"text/template"
)

// ext is the file name suffix of every template file.
const ext = ".tmpl"

// embedded holds the default wording of every template.
//
//go:embed templates/*.tmpl
var embedded embed.FS

// Set is a parsed set of templates. It holds exactly one template for every
// Message type in Samples. A Set is not changed after Load returns, so it is
// safe for concurrent use by many goroutines.
type Set struct {
	// byName maps a template name to its parsed template.
	byName map[string]*template.Template
	// source maps a template name to where it was loaded from: an override
	// file path, or "embedded templates/<name>.tmpl".
	source map[string]string
}

// Load parses the embedded templates (templates/*.tmpl via //go:embed) and
// then, if dir != "", every *.tmpl file in dir overrides the embedded one of
// the same name. A file in dir whose name is not a known template is an
// error (so a typo in a coordinator's file name is caught at start-up), and
// so is a parse error; the error names the file. Other files and
// sub-directories in dir are ignored.
//
// Load then renders every known template with its sample from Samples, so a
// broken override (for example one that names a missing field) fails at
// start-up rather than when the text is first needed. A template that
// renders to empty text is also an error. Load reports every problem with
// the files (names and parse errors) together in one error, and then, once
// every file has parsed, every template that fails the sample check.
func Load(dir string) (*Set, error) {
	samples := Samples()
	known := make(map[string]bool, len(samples))
	for _, m := range samples {
		if known[m.Template()] {
			return nil, fmt.Errorf("templates: two sample messages use template %q", m.Template())
		}
		known[m.Template()] = true
	}

	s := &Set{
		byName: make(map[string]*template.Template, len(samples)),
		source: make(map[string]string, len(samples)),
	}

	// The embedded files are part of the binary, so any problem with them
	// is a programming error; report it all the same rather than panic.
	var errs []error
	files, err := fs.Glob(embedded, "templates/*"+ext)
	if err != nil {
		return nil, fmt.Errorf("templates: list embedded templates: %w", err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(path.Base(file), ext)
		src := "embedded " + file
		if !known[name] {
			errs = append(errs, fmt.Errorf("templates: %s: no message type uses template %q", src, name))
			continue
		}
		text, err := embedded.ReadFile(file)
		if err != nil {
			errs = append(errs, fmt.Errorf("templates: read %s: %w", src, err))
			continue
		}
		if err := s.add(name, src, text); err != nil {
			errs = append(errs, err)
		}
	}
	for _, m := range samples {
		if _, ok := s.byName[m.Template()]; !ok {
			errs = append(errs, fmt.Errorf("templates: no embedded file templates/%s%s for %T", m.Template(), ext, m))
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}

	if dir != "" {
		if err := s.override(dir, known); err != nil {
			return nil, err
		}
	}

	for _, m := range samples {
		text, err := s.Render(m)
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("templates: %s does not render with sample data: %w", s.source[m.Template()], err))
		case text == "":
			errs = append(errs, fmt.Errorf("templates: %s renders empty text", s.source[m.Template()]))
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return s, nil
}

// override replaces templates in s with the *.tmpl files in dir.
func (s *Set) override(dir string, known map[string]bool) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("templates: read override directory: %w", err)
	}
	var errs []error
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ext) {
			continue
		}
		file := filepath.Join(dir, e.Name())
		name := strings.TrimSuffix(e.Name(), ext)
		if !known[name] {
			errs = append(errs, fmt.Errorf("templates: %s: %q is not a known template name (known: %s)",
				file, name, strings.Join(slices.Sorted(maps.Keys(known)), ", ")))
			continue
		}
		text, err := os.ReadFile(file)
		if err != nil {
			errs = append(errs, fmt.Errorf("templates: read %s: %w", file, err))
			continue
		}
		if err := s.add(name, file, text); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// add parses text as template name, loaded from src, and stores it in s,
// replacing any template of the same name.
func (s *Set) add(name, src string, text []byte) error {
	// Coordinators may edit files on Windows; CR LF would otherwise reach
	// the phone as a stray carriage return.
	body := strings.ReplaceAll(string(text), "\r\n", "\n")
	t, err := template.New(name).Option("missingkey=error").Parse(body)
	if err != nil {
		return fmt.Errorf("templates: parse %s: %w", src, err)
	}
	s.byName[name] = t
	s.source[name] = src
	return nil
}

// Render renders m's template with m as data. The result has leading and
// trailing white space trimmed.
func (s *Set) Render(m Message) (string, error) {
	if s == nil {
		return "", errors.New("templates: render on a nil Set")
	}
	if m == nil {
		return "", errors.New("templates: render a nil Message")
	}
	name := m.Template()
	t, ok := s.byName[name]
	if !ok {
		return "", fmt.Errorf("templates: no template named %q for %T", name, m)
	}
	var b strings.Builder
	if err := t.Execute(&b, m); err != nil {
		return "", fmt.Errorf("templates: render %s: %w", name, err)
	}
	return strings.TrimSpace(b.String()), nil
}
