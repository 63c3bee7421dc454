package chaos

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"peerline/rota"
	"peerline/twiliofake"
)

// line is one scenario's world: the fake Twilio, the service instances taking webhooks, the volunteers
// (who accept every offer and say DONE as soon as they are connected) and the people who text.
type line struct {
	t        *testing.T
	id       string
	fake     *twiliofake.Server
	api      *httptest.Server
	redisURL string
	http     *http.Client

	mu        sync.Mutex
	started   int // instances started so far, which names the next one's INSTANCE_ID
	instances []*instance
	acked     map[string]time.Time // person -> when their text was answered 200
	answered  []time.Time          // every webhook answered 200, for recovery times
	failed    int                  // webhook attempts not answered 200 (retried, as Twilio would)
	vols      []string
	statuses  bool // post status callbacks for offers, out of order
	undeliver map[string]bool
}

// newLine seeds line id's rota in the Redis at redisURL: nvol volunteers on shift all week, open always.
func newLine(t *testing.T, redisURL string, nvol int) *line {
	t.Helper()
	l := &line{t: t, id: fmt.Sprintf("chaos%d", rand.IntN(1e9)), fake: twiliofake.NewServer(testSID, testToken),
		redisURL: redisURL, acked: map[string]time.Time{}, undeliver: map[string]bool{},
		http: &http.Client{Timeout: 15 * time.Second}}
	l.api = httptest.NewServer(l.fake)
	t.Cleanup(l.api.Close)
	opt, _ := redis.ParseURL(redisURL)
	rdb := redis.NewClient(opt)
	defer rdb.Close()
	ctx := context.Background()
	rt := rota.NewStore(rdb, l.id, time.UTC)
	if _, err := rt.SetHours(ctx, func(h *rota.Hours) error { *h = rota.AlwaysOpen(); return nil }); err != nil {
		t.Fatal(err)
	}
	for i := range nvol {
		number := fmt.Sprintf("+4477009000%02d", 10+i)
		v, err := rt.AddVolunteer(ctx, rota.Volunteer{Name: fmt.Sprintf("Vol%d", i), Phone: number})
		if err != nil {
			t.Fatal(err)
		}
		for d := time.Sunday; d <= time.Saturday; d++ {
			if _, err := rt.AddShift(ctx, rota.Shift{Volunteer: v.ID, Day: d, Start: 0, End: 24 * 60}); err != nil {
				t.Fatal(err)
			}
		}
		l.vols = append(l.vols, number)
	}
	return l
}

// env is an instance's settings: each instance its own INSTANCE_ID (chaos-0, chaos-1 ...) unless more
// names one (a restart that takes over its own unsent texts at once).
func (l *line) env(more map[string]string) map[string]string {
	l.mu.Lock()
	id := fmt.Sprintf("chaos-%d", l.started)
	l.started++
	l.mu.Unlock()
	env := serviceEnv(l.redisURL, l.id, l.api.URL, more)
	if _, ok := more["INSTANCE_ID"]; !ok {
		env["INSTANCE_ID"] = id
	}
	return env
}

func (l *line) add(in *instance) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.instances = append(l.instances, in)
}

func (l *line) remove(in *instance) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for i, x := range l.instances {
		if x == in {
			l.instances = append(l.instances[:i], l.instances[i+1:]...)
			return
		}
	}
}

// post delivers one webhook as Twilio would, signed, to one instance at random, trying again (the same
// MessageSid, to any instance) until it is answered 200 or ctx ends. It reports whether it was.
func (l *line) post(ctx context.Context, path string, form map[string][]string) bool {
	for ctx.Err() == nil {
		l.mu.Lock()
		var url string
		if len(l.instances) > 0 {
			url = l.instances[rand.IntN(len(l.instances))].url
		}
		l.mu.Unlock()
		if url != "" {
			hooks := twiliofake.Webhooks{ServiceURL: url, PublicURL: publicURL, AuthToken: testToken, HTTP: l.http}
			code, _, err := hooks.Post(ctx, path, form)
			if err == nil && code/100 == 2 {
				l.mu.Lock()
				l.answered = append(l.answered, time.Now())
				l.mu.Unlock()
				return true
			}
			l.mu.Lock()
			l.failed++
			l.mu.Unlock()
		}
		select {
		case <-ctx.Done():
		case <-time.After(50 * time.Millisecond): // Twilio's retry comes later; a short pause stands for it
		}
	}
	return false
}

// text sends a text from number to the line.
func (l *line) text(ctx context.Context, from, body string) bool {
	return l.post(ctx, "/twilio/messages", twiliofake.MessageForm(testSID, from, lineNum, body))
}

// person texts the line once and records when the text was answered 200.
func (l *line) person(ctx context.Context, number string) {
	if l.text(ctx, number, "hello, I need to talk to someone") {
		l.mu.Lock()
		l.acked[number] = time.Now()
		l.mu.Unlock()
	}
}

var (
	offerPat   = regexp.MustCompile(`asking for support \((R[A-Z0-9]{3})\)`)
	connectPat = regexp.MustCompile(`You're connected to (R[A-Z0-9]{3})`)
	codePat    = regexp.MustCompile(`\bR[A-Z0-9]{3}\b`)
)

// volunteers play every volunteer until ctx ends: ACCEPT each offer, DONE once connected; with
// statuses on, each offer's delivery callbacks are posted in a shuffled order, some undelivered.
func (l *line) volunteers(ctx context.Context) *sync.WaitGroup {
	var wg sync.WaitGroup
	isVol := map[string]bool{}
	for _, v := range l.vols {
		isVol[v] = true
	}
	wg.Go(func() {
		for n := 0; ctx.Err() == nil; {
			sent, err := l.fake.Wait(ctx, n+1)
			if err != nil {
				return
			}
			for _, m := range sent[n:] {
				if !isVol[m.To] {
					continue
				}
				if c := offerPat.FindStringSubmatch(m.Body); c != nil {
					wg.Go(func() { l.text(ctx, m.To, "ACCEPT "+c[1]) })
					if l.statuses {
						wg.Go(func() { l.callbacks(ctx, m) })
					}
				} else if connectPat.MatchString(m.Body) {
					wg.Go(func() { l.text(ctx, m.To, "DONE") })
				}
			}
			n = len(sent)
		}
	})
	return &wg
}

// callbacks posts an offer's status callbacks in a random order: sent, delivered, and for one offer
// in three undelivered (30003, unreachable) too, possibly before the others.
func (l *line) callbacks(ctx context.Context, m twiliofake.Sent) {
	statuses := []twiliofake.Status{twiliofake.StatusOf(testSID, m, "sent", 0), twiliofake.StatusOf(testSID, m, "delivered", 0)}
	if rand.IntN(3) == 0 {
		statuses = append(statuses, twiliofake.StatusOf(testSID, m, "undelivered", 30003))
		l.mu.Lock()
		l.undeliver[m.SID] = true
		l.mu.Unlock()
	}
	rand.Shuffle(len(statuses), func(i, j int) { statuses[i], statuses[j] = statuses[j], statuses[i] })
	for _, s := range statuses {
		l.post(ctx, twiliofake.StatusPath, s.Form())
	}
}

// people makes n people text the line, one every gap, in their own goroutines; the returned group ends
// when every text was answered 200 or ctx ended.
func (l *line) people(ctx context.Context, n int, gap time.Duration) *sync.WaitGroup {
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := range n {
			number := fmt.Sprintf("+447700900%03d", 100+i)
			wg.Go(func() { l.person(ctx, number) })
			select {
			case <-ctx.Done():
				return
			case <-time.After(gap):
			}
		}
	})
	return &wg
}

// outcome is what a scenario did to the people who texted, judged from the fake Twilio's log.
type outcome struct {
	Texted, Acked  int            // people who texted; whose text was answered 200
	Lost           int            // answered 200, but never both acknowledged and given a volunteer or the signpost
	MatchedTwice   int            // people (or requests) joined to two volunteers
	Duplicates     map[string]int // texts sent twice, by the start of their wording
	Unanswered     int            // people whose text was never answered 200 (Twilio would have given up)
	FailedAttempts int            // webhook attempts not answered 200 and tried again
	Sent           int
	Recovery       time.Duration // from the fault to the first webhook answered 200 after it
	Served         time.Duration // from the fault to every acknowledged person served
}

// served reports, per person, whether they got the acknowledgement and a volunteer or the signpost.
func served(sent []twiliofake.Sent) map[string]bool {
	ack, end := map[string]bool{}, map[string]bool{}
	for _, m := range sent {
		switch {
		case strings.Contains(m.Body, "Thanks for texting"):
			ack[m.To] = true
		case strings.Contains(m.Body, "a peer supporter, is here"), strings.Contains(m.Body, "couldn't find a peer supporter"):
			end[m.To] = true
		}
	}
	out := map[string]bool{}
	for p := range ack {
		out[p] = end[p]
	}
	return out
}

// settle waits until every acknowledged person is served, or until deadline; it returns when that was.
func (l *line) settle(deadline time.Duration) time.Time {
	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	defer cancel()
	for n := 0; ; {
		sent, err := l.fake.Wait(ctx, n+1)
		s := served(sent)
		l.mu.Lock()
		left := 0
		for p := range l.acked {
			if !s[p] {
				left++
			}
		}
		l.mu.Unlock()
		if left == 0 || err != nil {
			return time.Now()
		}
		n = len(sent)
	}
}

// judge reads the outcome from the fake Twilio's log; fault is when the fault struck.
func (l *line) judge(texted int, fault, servedAt time.Time) outcome {
	sent := l.fake.Sent()
	s := served(sent)
	o := outcome{Texted: texted, Duplicates: map[string]int{}, Sent: len(sent)}
	l.mu.Lock()
	defer l.mu.Unlock()
	o.Acked, o.FailedAttempts = len(l.acked), l.failed
	for p := range l.acked {
		if !s[p] {
			o.Lost++
		}
	}
	o.Unanswered = texted - len(l.acked)
	// Matched twice: a person told two different volunteers are here, or a request whose connect text
	// reached two volunteers.
	names := map[string]map[string]bool{}
	vols := map[string]map[string]bool{}
	seen := map[string]int{}
	for _, m := range sent {
		if name, _, ok := strings.Cut(m.Body, ", a peer supporter, is here"); ok {
			if names[m.To] == nil {
				names[m.To] = map[string]bool{}
			}
			names[m.To][name] = true
		}
		if c := connectPat.FindStringSubmatch(m.Body); c != nil {
			if vols[c[1]] == nil {
				vols[c[1]] = map[string]bool{}
			}
			vols[c[1]][m.To] = true
		}
		// A duplicate: the same text to the same number twice, where it can only be meant once (to a
		// person, who texts once, or naming a request code).
		if !strings.HasPrefix(m.To, "+4477009000") || codePat.MatchString(m.Body) {
			seen[m.To+"\x00"+m.Body]++
		}
	}
	for _, n := range names {
		if len(n) > 1 {
			o.MatchedTwice++
		}
	}
	for _, v := range vols {
		if len(v) > 1 {
			o.MatchedTwice++
		}
	}
	for k, n := range seen {
		if n > 1 {
			body := strings.SplitN(k, "\x00", 2)[1]
			o.Duplicates[kind(body)] += n - 1
		}
	}
	if !fault.IsZero() {
		for _, a := range l.answered {
			if a.After(fault) {
				if o.Recovery == 0 || a.Sub(fault) < o.Recovery {
					o.Recovery = a.Sub(fault)
				}
			}
		}
		o.Served = servedAt.Sub(fault)
	}
	return o
}

// kind names a text by its first words, never quoting a person's words (there are none in these).
func kind(body string) string {
	w := strings.Fields(codePat.ReplaceAllString(body, "R***"))
	return strings.Join(w[:min(4, len(w))], " ")
}

func (o outcome) String() string {
	var dups []string
	for k, n := range o.Duplicates {
		dups = append(dups, fmt.Sprintf("%d %q", n, k))
	}
	sort.Strings(dups)
	return fmt.Sprintf("texted %d, answered 200 %d, lost %d, matched twice %d, duplicates [%s], unanswered %d, "+
		"webhook attempts retried %d, texts sent %d, first 200 after the fault %s, all served %s after it",
		o.Texted, o.Acked, o.Lost, o.MatchedTwice, strings.Join(dups, ", "), o.Unanswered, o.FailedAttempts, o.Sent,
		o.Recovery.Round(time.Millisecond), o.Served.Round(time.Millisecond))
}
