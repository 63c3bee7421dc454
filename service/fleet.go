package service

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/sirupsen/logrus"

	"peerline/bot"
	"peerline/lines"
	"peerline/matcher"
	"peerline/outbox"
	"peerline/phone"
	"peerline/rota"
	"peerline/webhooks"
)

// lineRun is one line's running parts: its rota, outbox and bot.
type lineRun struct {
	line lines.Line
	rota *rota.Store
	box  *outbox.Outbox
	bot  *bot.Bot
	stop context.CancelFunc // stops the outbox's workers; nil until started
	done chan struct{}      // closed when the outbox's workers have stopped

	match *matcher.Matcher // the line's requests, read by the metrics' queue gauges
}

// fleet is every line the service serves: the default line from the environment and the lines in the
// register, which it re-reads when the register's version changes (checked every few seconds, and at
// once for a text to a number it does not know), so adding a line needs no restart.
type fleet struct {
	log   logrus.FieldLogger
	store *lines.Store
	def   lines.Line
	build func(ctx context.Context, l lines.Line) (*lineRun, error)

	loading sync.Mutex // one load at a time, so a new line is built once
	mu      sync.RWMutex
	runs    map[string]*lineRun
	dir     lines.Directory
	version int64
	outCtx  context.Context // the outboxes' context once serving; nil before
}

// load reads the register and builds every line that is new or changed. It is safe to call at any time;
// a line whose build fails is logged and left as it was, and the others carry on.
func (f *fleet) load(ctx context.Context, force bool) error {
	f.loading.Lock()
	defer f.loading.Unlock()
	v, err := f.store.Version(ctx)
	if err != nil {
		return err
	}
	f.mu.RLock()
	same := v == f.version && f.runs != nil && !force
	f.mu.RUnlock()
	if same {
		return nil
	}
	stored, err := f.store.List(ctx)
	if err != nil {
		return err
	}
	all := append([]lines.Line{f.def}, stored...)
	f.mu.RLock()
	old := f.runs
	f.mu.RUnlock()
	next := make(map[string]*lineRun, len(all))
	var started, stopped []*lineRun
	for _, l := range all {
		if r, ok := old[l.ID]; ok && r.line == l {
			next[l.ID] = r
			continue
		}
		r, err := f.build(ctx, l)
		if err != nil && l.Default && old == nil {
			return err // the default line's settings must work from the start: say why at once
		}
		if err != nil {
			f.log.WithError(err).WithField("line", l.ID).Error("line not served: its settings do not work")
			if r, ok := old[l.ID]; ok {
				next[l.ID] = r
			}
			continue
		}
		next[l.ID] = r
		started = append(started, r)
		if prev, ok := old[l.ID]; ok {
			stopped = append(stopped, prev)
		}
		f.log.WithField("line", l.ID).Info("serving line")
	}
	servedLines := slices.Collect(func(yield func(lines.Line) bool) {
		for _, r := range next {
			if !yield(r.line) {
				return
			}
		}
	})
	f.mu.Lock()
	f.runs, f.dir, f.version = next, lines.NewDirectory(servedLines), v
	outCtx := f.outCtx
	f.mu.Unlock()
	// A changed line's old outbox stops before its new one starts: both would read the same stream under
	// this instance's name, and the new one would resend what the old one had in flight.
	for _, r := range stopped {
		r.halt()
	}
	if outCtx != nil {
		for _, r := range started {
			startOutbox(outCtx, r)
		}
	}
	return nil
}

// startOutbox starts r's outbox workers under ctx.
func startOutbox(ctx context.Context, r *lineRun) {
	ctx, r.stop = context.WithCancel(ctx)
	r.done = make(chan struct{})
	go func() {
		defer close(r.done)
		_ = r.box.Run(ctx)
	}()
}

// halt stops r's outbox workers and waits for them; messages they had not sent stay queued.
func (r *lineRun) halt() {
	if r.stop != nil {
		r.stop()
		<-r.done
	}
}

// serve starts every line's outbox under ctx, and every line added later too.
func (f *fleet) serve(ctx context.Context) {
	f.mu.Lock()
	f.outCtx = ctx
	runs := f.all()
	f.mu.Unlock()
	for _, r := range runs {
		startOutbox(ctx, r)
	}
}

// halt stops every line's outbox workers.
func (f *fleet) halt() {
	f.mu.Lock()
	runs := f.all()
	f.outCtx = nil
	f.mu.Unlock()
	for _, r := range runs {
		r.halt()
	}
}

// all returns every line's run, the default line first; f.mu must be held.
func (f *fleet) all() []*lineRun {
	out := []*lineRun{f.runs[f.def.ID]}
	for id, r := range f.runs {
		if id != f.def.ID {
			out = append(out, r)
		}
	}
	return out
}

// each returns every line's run, the default line first.
func (f *fleet) each() []*lineRun {
	f.mu.RLock()
	defer f.mu.RUnlock()
	return f.all()
}

// line returns the run of line id.
func (f *fleet) line(id string) (*lineRun, bool) {
	f.mu.RLock()
	defer f.mu.RUnlock()
	r, ok := f.runs[id]
	return r, ok
}

// find returns the run of the line a message was sent to. For a number it does not know it first checks
// the register's version (one read), so a line added a moment ago is served at once: Twilio does not
// retry a 4xx, and a person's first text to a new line must not be lost.
func (f *fleet) find(ctx context.Context, in bot.Inbound) (*lineRun, error) {
	if r, ok := f.lookup(in); ok {
		return r, nil
	}
	if err := f.load(ctx, false); err != nil {
		return nil, fmt.Errorf("read the lines: %w", err)
	}
	if r, ok := f.lookup(in); ok {
		return r, nil
	}
	return nil, webhooks.ErrNoLine
}

func (f *fleet) lookup(in bot.Inbound) (*lineRun, bool) {
	f.mu.RLock()
	defer f.mu.RUnlock()
	id, ok := f.dir.Find(in.To, in.Channel == phone.WhatsApp, in.Service)
	if !ok {
		return nil, false
	}
	r, ok := f.runs[id]
	return r, ok
}

// Handle passes a message to the bot of the line it was sent to.
func (f *fleet) Handle(ctx context.Context, in bot.Inbound) error {
	r, err := f.find(ctx, in)
	if err != nil {
		return err
	}
	return r.bot.Handle(ctx, in)
}

// Status passes a delivery status to the bot of line ("" is the default line).
func (f *fleet) Status(ctx context.Context, line, sid, status string) error {
	if line == "" {
		line = f.def.ID
	}
	r, ok := f.line(line)
	if !ok {
		if err := f.load(ctx, false); err != nil {
			return fmt.Errorf("read the lines: %w", err)
		}
		if r, ok = f.line(line); !ok {
			return webhooks.ErrNoLine
		}
	}
	return r.bot.Status(ctx, sid, status)
}
