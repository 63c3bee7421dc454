package chaos

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// redisProc is a redis-server this suite started, on a free port with its data in a folder of its own.
type redisProc struct {
	t    *testing.T
	dir  string
	port int
	args []string
	cmd  *exec.Cmd
}

// freePort returns a TCP port that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// startRedis starts a redis-server with args (such as "--appendonly", "yes") added to the suite's own.
func startRedis(t *testing.T, args ...string) *redisProc {
	t.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Skip("redis-server is not installed (make test installs it)")
	}
	r := &redisProc{t: t, dir: t.TempDir(), port: freePort(t), args: args}
	r.start()
	t.Cleanup(func() {
		if r.cmd != nil {
			r.kill()
		}
	})
	return r
}

func (r *redisProc) addr() string { return "127.0.0.1:" + strconv.Itoa(r.port) }
func (r *redisProc) url() string  { return "redis://" + r.addr() + "/0" }

// start (re)starts the server on its port and folder, and waits until it answers.
func (r *redisProc) start() {
	r.t.Helper()
	args := append([]string{"--bind", "127.0.0.1", "--port", strconv.Itoa(r.port), "--dir", r.dir, "--save", "",
		"--logfile", filepath.Join(r.dir, "redis.log"), "--auto-aof-rewrite-percentage", "0", "--protected-mode", "no"},
		r.args...)
	r.cmd = exec.Command("redis-server", args...)
	r.cmd.Stdout, r.cmd.Stderr = io.Discard, io.Discard
	if err := r.cmd.Start(); err != nil {
		r.t.Fatalf("start redis-server: %v", err)
	}
	c := r.client()
	defer c.Close()
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := c.Ping(context.Background()).Err()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(r.dir, "redis.log"))
			r.t.Fatalf("redis-server on %d did not answer: %v\n%s", r.port, err, log)
		}
		time.Sleep(20 * time.Millisecond) // polling for a process to come up
	}
}

// kill ends the server at once (SIGKILL): no shutdown, no last write.
func (r *redisProc) kill() {
	_ = r.cmd.Process.Signal(syscall.SIGKILL)
	_ = r.cmd.Wait()
	r.cmd = nil
}

func (r *redisProc) client() *redis.Client {
	return redis.NewClient(&redis.Options{Addr: r.addr(), MaxRetries: -1, DialTimeout: time.Second})
}

// aofTail watches the growing file of the server's AOF (Redis 7's multi-part AOF: the last .incr.aof in
// appendonlydir), noting its length every 10 ms, so that a power cut can cut it back to the length it
// had a while before: what appendfsync everysec may lose.
type aofTail struct {
	mu    sync.Mutex
	marks []aofMark
	stop  chan struct{}
	done  chan struct{}
}

type aofMark struct {
	at   time.Time
	file string
	size int64
}

// incrFile returns the AOF file that writes go to now.
func (r *redisProc) incrFile() (string, error) {
	files, err := filepath.Glob(filepath.Join(r.dir, "appendonlydir", "*.incr.aof"))
	if err != nil || len(files) == 0 {
		return "", fmt.Errorf("no incr AOF in %s: %v", r.dir, err)
	}
	sort.Strings(files)
	return files[len(files)-1], nil
}

func (r *redisProc) watchAOF() *aofTail {
	a := &aofTail{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(a.done)
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			if f, err := r.incrFile(); err == nil {
				if st, err := os.Stat(f); err == nil {
					a.mu.Lock()
					a.marks = append(a.marks, aofMark{at: time.Now(), file: f, size: st.Size()})
					a.mu.Unlock()
				}
			}
			select {
			case <-a.stop:
				return
			case <-tick.C:
			}
		}
	}()
	return a
}

// cutBack stops watching and truncates the AOF to the length it had `back` ago; it returns the bytes cut.
func (a *aofTail) cutBack(back time.Duration) (int64, error) {
	close(a.stop)
	<-a.done
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.marks) == 0 {
		return 0, fmt.Errorf("no AOF length noted")
	}
	last := a.marks[len(a.marks)-1]
	target := a.marks[0]
	for _, m := range a.marks {
		if m.at.After(last.at.Add(-back)) {
			break
		}
		target = m
	}
	st, err := os.Stat(last.file)
	if err != nil {
		return 0, err
	}
	if target.file != last.file {
		target.size = 0
	}
	return st.Size() - target.size, os.Truncate(last.file, target.size)
}

// proxy is a TCP proxy in front of Redis, so that the service follows a failover: switching its backend
// drops every connection, and new ones reach the new primary, as a managed Redis's endpoint does.
type proxy struct {
	ln      net.Listener
	mu      sync.Mutex
	backend string
	conns   map[net.Conn]bool
}

func startProxy(t *testing.T, backend string) *proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{ln: ln, backend: backend, conns: map[net.Conn]bool{}}
	t.Cleanup(func() { ln.Close(); p.switchTo("") })
	go p.serve()
	return p
}

func (p *proxy) url() string { return "redis://" + p.ln.Addr().String() + "/0" }

func (p *proxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		backend := p.backend
		p.mu.Unlock()
		b, err := net.DialTimeout("tcp", backend, time.Second)
		if err != nil {
			c.Close()
			continue
		}
		p.mu.Lock()
		p.conns[c], p.conns[b] = true, true
		p.mu.Unlock()
		go func() { _, _ = io.Copy(b, c); b.Close(); c.Close() }()
		go func() { _, _ = io.Copy(c, b); b.Close(); c.Close() }()
	}
}

// switchTo closes every connection and sends new ones to backend.
func (p *proxy) switchTo(backend string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.backend = backend
	for c := range p.conns {
		c.Close()
	}
	p.conns = map[net.Conn]bool{}
}
