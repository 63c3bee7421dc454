package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// service is a peerline process started for the benchmark.
type service struct {
	cmd  *exec.Cmd
	addr string
}

// startService builds the service from the current module (or runs bin, when set) and starts it with
// env (and nothing else from the load generator's environment but base, such as PATH).
func startService(ctx context.Context, dir, bin string, base []string, env map[string]string, stderr io.Writer) (*service, error) {
	if bin == "" {
		bin = filepath.Join(dir, "peerline")
		build := exec.CommandContext(ctx, "go", "build", "-o", bin, ".")
		build.Stdout, build.Stderr = stderr, stderr
		if err := build.Run(); err != nil {
			return nil, fmt.Errorf("build the service (run from the repository root): %w", err)
		}
	}
	cmd := exec.Command(bin, "-env", "")
	cmd.Env = base
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start the service: %w", err)
	}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if a, ok := strings.CutPrefix(sc.Text(), "peerline listening on "); ok {
				addr <- strings.Fields(a)[0]
			}
		}
	}()
	select {
	case a := <-addr:
		return &service{cmd: cmd, addr: a}, nil
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		return nil, fmt.Errorf("the service did not start in 30s")
	}
}

// stop asks the service to shut down and waits for it.
func (s *service) stop() {
	_ = s.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { _ = s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		_ = s.cmd.Process.Kill()
	}
}

// counters reads the service's GET /debug/stats.
func (s *service) counters(ctx context.Context) (map[string]int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.addr+"/debug/stats", nil)
	if err != nil {
		return nil, err
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("read service stats: %w", err)
	}
	defer res.Body.Close()
	var m map[string]int64
	return m, json.NewDecoder(res.Body).Decode(&m)
}
