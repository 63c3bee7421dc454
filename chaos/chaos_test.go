package chaos

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"peerline/twiliofake"
)

var full = flag.Bool("chaos", false, "play every scenario, with more load, against the built service (make chaos)")

// bin is the built service, for the full suite.
var bin string

func TestMain(m *testing.M) {
	flag.Parse()
	if *full {
		dir, err := os.MkdirTemp("", "peerline-chaos")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		bin = filepath.Join(dir, "peerline")
		build := exec.Command("go", "build", "-o", bin, ".")
		build.Dir, build.Stdout, build.Stderr = "..", os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			fmt.Fprintln(os.Stderr, "build the service:", err)
			os.Exit(1)
		}
		code := m.Run()
		os.RemoveAll(dir)
		os.Exit(code)
	}
	os.Exit(m.Run())
}

// load is how much a scenario plays: people texting one every gap, volunteers on shift.
type load struct {
	people int
	gap    time.Duration
	vols   int
}

func size() load {
	if *full {
		return load{people: 200, gap: 15 * time.Millisecond, vols: 8}
	}
	return load{people: 12, gap: 15 * time.Millisecond, vols: 4}
}

// start starts an instance of the service for l: the binary in the full suite, in-process otherwise.
func (l *line) start(more map[string]string) *instance {
	l.t.Helper()
	var in *instance
	if *full {
		in = startBinary(l.t, bin, l.env(more))
	} else {
		in = startInProcess(l.t, l.env(more))
	}
	l.add(in)
	return in
}

// play runs the load and strikes with fault a third of the way through it (nil: no fault); it waits up
// to deadline for everyone answered to be served, and judges.
func (l *line) play(ld load, deadline time.Duration, fault func()) outcome {
	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	defer cancel()
	vols := l.volunteers(ctx)
	people := l.people(ctx, ld.people, ld.gap)
	var struck time.Time
	if fault != nil {
		time.Sleep(time.Duration(ld.people/3) * ld.gap)
		struck = time.Now()
		fault()
	}
	people.Wait()
	at := l.settle(time.Until(deadlineOf(ctx)))
	o := l.judge(ld.people, struck, at)
	cancel()
	vols.Wait()
	return o
}

func deadlineOf(ctx context.Context) time.Time {
	d, _ := ctx.Deadline()
	return d
}

// takenNote is how kind names the volunteer's "already taken" note.
const takenNote = "Thank you. R*** has"

// results collects one line per scenario, printed at the end for RELIABILITY.md.
var results struct {
	mu   sync.Mutex
	rows []string
}

func report(t *testing.T, name string, o outcome) {
	t.Helper()
	t.Logf("%s: %s", name, o)
	results.mu.Lock()
	defer results.mu.Unlock()
	results.rows = append(results.rows, name+": "+o.String())
}

// promise fails the test unless nothing answered was lost or matched twice and everyone was answered;
// with noDup, no text may have gone twice either.
func promise(t *testing.T, o outcome, noDup bool) {
	t.Helper()
	if o.Lost != 0 || o.MatchedTwice != 0 || o.Unanswered != 0 || o.Acked == 0 {
		t.Errorf("lost %d, matched twice %d, unanswered %d of %d answered: want 0, 0, 0", o.Lost, o.MatchedTwice,
			o.Unanswered, o.Acked)
	}
	for k, n := range o.Duplicates {
		// A volunteer whose ACCEPT loses a race may hear "already taken" twice: once from the winner's
		// commit and once in answer to their own ACCEPT, decided on another instance before the winner
		// committed (a wording double by the bot, not a resend; RELIABILITY.md).
		if noDup && k != takenNote {
			t.Errorf("%d texts %q sent twice with no crash to explain them", n, k)
		}
	}
}

func TestChaos(t *testing.T) {
	// make test plays a short set (a few seconds each); make chaos plays everything, with more load.
	t.Run("redis killed and restarted mid-load", testRedisRestart)
	t.Run("power cut, replica and WAIT", func(t *testing.T) { testPowerCutReplica(t, true) })
	t.Run("two instances racing", func(t *testing.T) { testInstances(t, 2) })
	if !*full {
		return
	}
	t.Run("twilio 429 and 500 storm", testStorm)
	t.Run("status callbacks out of order", testStatuses)
	t.Run("three instances racing", func(t *testing.T) { testInstances(t, 3) })
	t.Run("power cut, AOF everysec", func(t *testing.T) { testPowerCutAOF(t, "everysec") })
	t.Run("power cut, AOF always", func(t *testing.T) { testPowerCutAOF(t, "always") })
	t.Run("power cut, replica without WAIT", func(t *testing.T) { testPowerCutReplica(t, false) })
	t.Run("service killed mid-send", testServiceKill)
	results.mu.Lock()
	t.Logf("all scenarios:\n%s", strings.Join(results.rows, "\n"))
	results.mu.Unlock()
}

// always is make run's Redis: appendonly yes, appendfsync always.
var always = []string{"--appendonly", "yes", "--appendfsync", "always"}

func testRedisRestart(t *testing.T) {
	r := startRedis(t, always...)
	l := newLine(t, r.url(), size().vols)
	l.start(nil)
	o := l.play(size(), 90*time.Second, func() {
		r.kill()
		time.Sleep(500 * time.Millisecond)
		r.start()
	})
	report(t, "redis killed and restarted", o)
	promise(t, o, false)
}

// testPowerCutAOF plays a power cut of the Redis host: SIGKILL, and the AOF cut back to its length one
// second before (what appendfsync everysec may lose: its fsync runs once a second). With appendfsync
// always Redis answers a write only after its fsync, so a power cut loses only writes not yet answered:
// the file is left whole.
func testPowerCutAOF(t *testing.T, fsync string) {
	r := startRedis(t, "--appendonly", "yes", "--appendfsync", fsync)
	l := newLine(t, r.url(), size().vols)
	l.start(map[string]string{"REDIS_DURABILITY": "none"})
	tail := r.watchAOF()
	var cut int64
	o := l.play(size(), 40*time.Second, func() {
		r.kill()
		back := time.Duration(0)
		if fsync == "everysec" {
			back = time.Second
		}
		var err error
		if cut, err = tail.cutBack(back); err != nil {
			t.Error(err)
		}
		r.start()
	})
	report(t, fmt.Sprintf("power cut, AOF %s (%d bytes of AOF lost)", fsync, cut), o)
	if fsync == "always" {
		promise(t, o, false)
	}
}

// testPowerCutReplica plays a power cut that destroys the primary and its data: its replica is promoted
// (REPLICAOF NO ONE), a new replica joins it, and the proxy the service reaches Redis through switches
// to it, as a managed Redis's endpoint does. With wait, every commit waits for the replica (WAIT 1).
func testPowerCutReplica(t *testing.T, wait bool) {
	primary := startRedis(t)
	replica := startRedis(t, "--replicaof", "127.0.0.1", fmt.Sprint(primary.port))
	waitReplicas(t, primary, 1)
	p := startProxy(t, primary.addr())
	l := newLine(t, p.url(), size().vols)
	mode := "none"
	if wait {
		mode = "replica"
	}
	l.start(map[string]string{"REDIS_DURABILITY": mode, "REDIS_WAIT_TIMEOUT": "500ms"})
	o := l.play(size(), 60*time.Second, func() {
		primary.kill()
		_ = os.RemoveAll(primary.dir)
		c := replica.client()
		defer c.Close()
		if err := c.Do(context.Background(), "REPLICAOF", "NO", "ONE").Err(); err != nil {
			t.Error(err)
		}
		fresh := startRedis(t, "--replicaof", "127.0.0.1", fmt.Sprint(replica.port))
		_ = fresh
		p.switchTo(replica.addr())
	})
	name := "power cut, replica promoted, no WAIT"
	if wait {
		name = "power cut, replica promoted, WAIT 1"
	}
	report(t, name, o)
	if wait {
		promise(t, o, false)
	}
}

// waitReplicas polls until the primary has n replicas online.
func waitReplicas(t *testing.T, r *redisProc, n int) {
	t.Helper()
	c := r.client()
	defer c.Close()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		info, _ := c.Info(context.Background(), "replication").Result()
		if strings.Contains(info, fmt.Sprintf("connected_slaves:%d", n)) && strings.Contains(info, "state=online") {
			return
		}
		time.Sleep(20 * time.Millisecond) // polling for a replica to come up
	}
	t.Fatalf("replica did not come online")
}

func testInstances(t *testing.T, n int) {
	r := startRedis(t, always...)
	l := newLine(t, r.url(), size().vols)
	for range n {
		l.start(nil)
	}
	o := l.play(size(), 60*time.Second, nil)
	report(t, fmt.Sprintf("%d instances racing", n), o)
	promise(t, o, true)
}

func testStorm(t *testing.T) {
	r := startRedis(t, always...)
	l := newLine(t, r.url(), size().vols)
	l.start(nil)
	o := l.play(size(), 3*time.Minute, func() {
		var storm []twiliofake.Failure
		for i := range stormSize() {
			storm = append(storm, []twiliofake.Failure{{Status: 429, Code: 20429}, {Status: 500, Code: 20500},
				{Status: 503, Code: 20503}}[i%3])
		}
		l.fake.FailNext(storm...)
	})
	report(t, "twilio 429/500/503 storm", o)
	promise(t, o, true)
	if got := l.fake.Requests() - len(l.fake.Sent()); got < stormSize() {
		t.Errorf("the storm answered %d failures, want %d", got, stormSize())
	}
}

// stormSize is how many send requests in a row Twilio refuses with 429, 500 or 503.
func stormSize() int {
	if *full {
		return size().people
	}
	return size().people / 2
}

func testStatuses(t *testing.T) {
	r := startRedis(t, always...)
	l := newLine(t, r.url(), size().vols)
	l.statuses = true
	l.start(nil)
	l.start(nil)
	o := l.play(size(), 60*time.Second, nil)
	report(t, fmt.Sprintf("status callbacks out of order (%d offers undelivered)", len(l.undeliver)), o)
	promise(t, o, true)
}

// testServiceKill kills the only instance (SIGKILL) while it sends, and starts another.
func testServiceKill(t *testing.T) {
	r := startRedis(t, always...)
	l := newLine(t, r.url(), size().vols)
	first := l.start(nil)
	o := l.play(size(), 120*time.Second, func() {
		l.remove(first)
		first.kill()
		l.start(map[string]string{"INSTANCE_ID": "chaos-0"}) // the same instance, restarted
	})
	report(t, "service killed mid-send", o)
	promise(t, o, false)
}
