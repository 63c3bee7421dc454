package bot

import (
	"context"
	"errors"
	"fmt"

	"github.com/sirupsen/logrus"

	"peerline/commit"
	"peerline/matcher"
)

// GiveUp is the cron job that keeps the promise that nobody is left with silence: every request still
// open GiveUpAfter after it was opened is marked unanswered and its person gets the fallback signpost.
// Each request is given up exactly once, however many instances run the job at the same moment. It
// returns how many requests it gave up.
func (bt *Bot) GiveUp(ctx context.Context) (int, error) {
	log := bt.log.WithField("job", "give-up")
	now := bt.now()
	codes, err := bt.match.OpenSince(ctx, now.Add(-bt.opt.GiveUpAfter), 100)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, code := range codes {
		req, err := bt.match.Request(ctx, code)
		if errors.Is(err, matcher.ErrNotFound) || err == nil && req.Status != matcher.Open {
			continue
		}
		if err != nil {
			return n, err
		}
		t := &turn{b: commit.New(), fields: logrus.Fields{"request": code}}
		bt.match.GiveUp(t.b, req, now)
		if err := bt.signpost(t, req); err != nil {
			return n, err
		}
		failed, err := bt.apply.Apply(ctx, t.b)
		if err != nil {
			return n, fmt.Errorf("give up request %s: %w", code, err)
		}
		if failed == 0 {
			n++
			log.WithFields(t.fields).Info("nobody accepted in time: person signposted")
		}
	}
	return n, nil
}
