package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sirupsen/logrus"

	"peerline/commit"
	"peerline/matcher"
	"peerline/phone"
	"peerline/rota"
	"peerline/templates"
)

// Boundaries that keep the line safe for everyone: a rate limit per number, a volunteer's BLOCK, a
// note to the coordinator about repeat contact, and chats that close themselves when nobody writes.

// flooded handles a text over the sender's rate limit (people only: volunteers are not limited): the
// first one over gets a polite answer, the rest are dropped (counted and marked seen, nothing else). A
// text with risk words is never dropped (see decide).
func (bt *Bot) flooded(t *turn) error {
	t.action = "over the rate limit: dropped"
	if t.sent == bt.opt.RateLimit {
		t.action = "over the rate limit: told once, the rest dropped"
		return bt.reply(t, templates.SlowDown{})
	}
	t.b.Do("EXPIRE", bt.keys.rate(t.in.From, t.now), 120) // a write, so the drop is committed
	return nil
}

// blockChat ends the chat of volunteer v, who texted BLOCK: the person hears kindly that the chat has
// ended, and for BlockFor their texts get a neutral answer and never reach a volunteer. v is thanked
// and asked how they are. Nobody is blocked by the line on its own.
func (bt *Bot) blockChat(t *turn, v rota.Volunteer) error {
	p := t.party
	until := t.now.Add(bt.opt.BlockFor)
	bt.match.End(t.b, p.Conv, v.ID, t.now, p.Joined)
	bt.leaveChat(t, p.Conv, p.Peer, t.in.From)
	t.b.Do("ZADD", bt.keys.blocks(), until.UnixMilli(), p.Peer)
	t.b.Do("HSET", bt.keys.blockInfo(), p.Peer, p.Conv+" "+v.ID+" "+strconv.FormatInt(t.now.UnixMilli(), 10))
	t.action, t.dispatch, t.freed = "volunteer blocked the person: chat closed", true, append(t.freed, v.ID)
	if err := bt.send(t, p.Peer, p.PeerCh, templates.PersonChatEnded{}); err != nil {
		return err
	}
	days := int(bt.opt.BlockFor.Hours()+23) / 24
	for _, c := range available(t.rota, t.rota.OnCallAt(t.now)) {
		if c.ID == v.ID {
			continue
		}
		if err := bt.tell(t, c, templates.CoordinatorBlocked{Code: p.Conv, Name: v.Name, Days: days}); err != nil {
			return err
		}
	}
	return bt.reply(t, templates.VolunteerBlocked{Code: p.Conv, Days: days})
}

// fromBlocked handles a text from a person a volunteer blocked: it never reaches a volunteer. They get
// a neutral answer at most once a day; with risk words, the safety text, and the coordinators on call
// hear of it, so someone can decide whether to lift the block.
func (bt *Bot) fromBlocked(ctx context.Context, t *turn) error {
	t.action = "text from a blocked person: not passed on"
	sent, err := bt.safety(t, false)
	if err != nil {
		return err
	}
	if sent {
		info, err := bt.rdb.HGet(ctx, bt.keys.blockInfo(), t.in.From).Result()
		if err != nil && !errors.Is(err, redis.Nil) {
			return fmt.Errorf("read the block: %w", err)
		}
		code, _, _ := strings.Cut(info, " ")
		if err := bt.alertAbout(t, templates.CoordinatorRisk{Code: code, Blocked: true}); err != nil {
			return err
		}
	}
	k, day := bt.keys.party(t.in.From), t.now.In(t.rota.Location()).Format("2006-01-02")
	if t.party.BlockNote == day {
		return nil
	}
	t.b.Do("HSET", k, "blocknote", day)
	return bt.reply(t, templates.PersonBlocked{})
}

// alertAbout sends m to every coordinator on call.
func (bt *Bot) alertAbout(t *turn, m templates.Message) error {
	for _, c := range available(t.rota, t.rota.OnCallAt(t.now)) {
		if err := bt.tell(t, c, m); err != nil {
			return err
		}
	}
	return nil
}

// noteRepeat adds a note to the coordinators on call when a new request of the sender's is the
// RepeatContacts-th within RepeatWithin, and records the request for the count. Nobody is ever blocked
// for it.
func (bt *Bot) noteRepeat(t *turn, code string) error {
	k := bt.keys.contacts(t.in.From)
	t.b.Do("ZADD", k, t.now.UnixMilli(), code)
	t.b.Do("ZREMRANGEBYSCORE", k, "-inf", "("+strconv.FormatInt(t.now.Add(-bt.opt.RepeatWithin).UnixMilli(), 10))
	t.b.Do("PEXPIRE", k, bt.opt.RepeatWithin.Milliseconds())
	if t.contacts+1 != bt.opt.RepeatContacts {
		return nil
	}
	t.action += "; repeat contact: coordinator told"
	m := templates.CoordinatorRepeat{Code: code, Count: bt.opt.RepeatContacts, Hours: int(bt.opt.RepeatWithin.Hours())}
	for _, c := range available(t.rota, t.rota.OnCallAt(t.now)) {
		if err := bt.tell(t, c, m); err != nil {
			return err
		}
	}
	return nil
}

// closeIdleChats closes every chat with no text for ChatIdle, kindly on both sides. It returns how many
// it closed.
func (bt *Bot) closeIdleChats(ctx context.Context) (int, error) {
	idle, err := bt.match.IdleChats(ctx, bt.now().Add(-bt.opt.ChatIdle))
	if err != nil {
		return 0, err
	}
	n := 0
	for _, c := range idle {
		if err := bt.closeIdle(ctx, c); err != nil {
			bt.log.WithError(err).WithFields(logrus.Fields{"request": c.Code, "job": "idle chats"}).Error("closing an idle chat failed")
			continue
		}
		n++
	}
	return n, nil
}

// closeIdle closes one idle chat, guarded on it still being the volunteer's chat.
func (bt *Bot) closeIdle(ctx context.Context, c matcher.Chat) error {
	r, err := bt.currentRota(ctx)
	if err != nil {
		return err
	}
	v, ok := r.Volunteers[c.Volunteer]
	if !ok {
		return nil
	}
	h, err := bt.rdb.HGetAll(ctx, bt.keys.party(v.Phone)).Result()
	if err != nil {
		return fmt.Errorf("read volunteer state: %w", err)
	}
	p := decodeParty(h)
	if p.Conv != c.Code || p.Peer == "" {
		return nil
	}
	t := &turn{now: bt.now(), rota: r, party: p, b: commit.New(), fields: logrus.Fields{"request": c.Code, "volunteer": v.ID}}
	t.in = Inbound{From: v.Phone}
	bt.match.End(t.b, p.Conv, v.ID, t.now, p.Joined)
	bt.leaveChat(t, p.Conv, p.Peer, v.Phone)
	bt.scheduleCheckin(t, p.Conv, p.Peer, p.PeerCh)
	if err := bt.send(t, p.Peer, p.PeerCh, templates.PersonChatIdle{Name: v.Name}); err != nil {
		return err
	}
	if !p.LateChat {
		riskAt, riskCode, err := bt.personRisk(ctx, p.Peer)
		if err != nil {
			return err
		}
		if err := bt.askFeedback(t, p.Conv, p.Peer, p.PeerCh, riskAt, riskCode); err != nil {
			return err
		}
	}
	if err := bt.send(t, v.Phone, p.Channel, templates.VolunteerChatIdle{Code: p.Conv}); err != nil { // the channel they chatted on
		return err
	}
	failed, err := bt.apply.Apply(ctx, t.b)
	if err != nil || failed != 0 {
		return err // a failed guard: the chat moved on meanwhile
	}
	bt.log.WithFields(t.fields).Info("chat closed: nobody wrote for a while")
	return nil
}

// Block is a person a volunteer blocked, as coordinators see it: never the number in full.
type Block struct {
	Number    string // the person's number, for Lift; never print it
	Masked    string // the last three digits, such as ******123
	Code      string // the chat in which they were blocked
	Volunteer string // the volunteer's id
	Since     time.Time
	Until     time.Time
}

// BlockList reads and lifts blocks of one line; the rota script uses it.
type BlockList struct {
	rdb  redis.UniversalClient
	keys keys
}

// NewBlockList returns the blocks of line.
func NewBlockList(rdb redis.UniversalClient, line string) *BlockList {
	return &BlockList{rdb: rdb, keys: keys{prefix: "pl:{" + line + "}:bot:"}}
}

// List returns the blocks in force at now, the one ending soonest first.
func (l *BlockList) List(ctx context.Context, now time.Time) ([]Block, error) {
	zs, err := l.rdb.ZRangeByScoreWithScores(ctx, l.keys.blocks(), &redis.ZRangeBy{
		Min: strconv.FormatInt(now.UnixMilli(), 10), Max: "+inf"}).Result()
	if err != nil {
		return nil, fmt.Errorf("read blocks: %w", err)
	}
	info, err := l.rdb.HGetAll(ctx, l.keys.blockInfo()).Result()
	if err != nil {
		return nil, fmt.Errorf("read blocks: %w", err)
	}
	var out []Block
	for _, z := range zs {
		number, _ := z.Member.(string)
		f := strings.Fields(info[number])
		b := Block{Number: number, Masked: phone.Masked(number), Until: time.UnixMilli(int64(z.Score))}
		if len(f) == 3 {
			b.Code, b.Volunteer, b.Since = f[0], f[1], millis(f[2])
		}
		out = append(out, b)
	}
	return out, nil
}

// ErrNoBlock is returned by Lift when nobody matches.
var ErrNoBlock = errors.New("no block in force matches")

// Lift ends the block of number now.
func (l *BlockList) Lift(ctx context.Context, number string) error {
	_, err := l.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.ZRem(ctx, l.keys.blocks(), number)
		p.HDel(ctx, l.keys.blockInfo(), number)
		return nil
	})
	if err != nil {
		return fmt.Errorf("lift block: %w", err)
	}
	return nil
}

// Expire removes the blocks that ended before now (they hold numbers: none is kept past its end).
func (l *BlockList) Expire(ctx context.Context, now time.Time) error {
	ended, err := l.rdb.ZRangeByScore(ctx, l.keys.blocks(), &redis.ZRangeBy{
		Min: "-inf", Max: "(" + strconv.FormatInt(now.UnixMilli(), 10)}).Result()
	if err != nil || len(ended) == 0 {
		return err
	}
	for _, n := range ended {
		if err := l.Lift(ctx, n); err != nil {
			return err
		}
	}
	return nil
}
