package main

import (
	"context"
	"strings"
	"testing"
)

func TestForgetErasesAPersonAfterAsking(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	c.alwaysOpen()
	c.onShiftToday("Sam", sam)
	l := newLine(c)
	l.at("2026-12-24 23:00")
	l.text(alex, "can't sleep")
	l.text(sam, "ACCEPT "+l.newest())
	l.text(alex, "thanks for being here")
	l.text(bea, "hello") // Bea stays
	ctx := context.Background()

	out := c.run("n\n", "forget", "-phone", "07700 900001")
	for _, want := range []string{"The line holds about", "a chat going on", "yes", "requests, with what they wrote while waiting",
		"1", "Nothing was erased."} {
		if !strings.Contains(out.out, want) {
			t.Fatalf("forget, answered no:\n%s\nlacks %q", out.out, want)
		}
	}
	noNumbers(t, out.out)
	if n, _ := c.rdb.Exists(ctx, "pl:{"+c.env["LINE_ID"]+"}:bot:party:"+alex).Result(); n != 1 {
		t.Fatal("answering no erased Alex's state")
	}
	out = c.run("y\n", "forget", "-phone", "07700 900001")
	if !strings.Contains(out.out, "Erased, about") {
		t.Fatalf("forget, answered yes:\n%s", out.out)
	}
	keys, err := c.rdb.Keys(ctx, "pl:{"+c.env["LINE_ID"]+"}:*").Result()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		if strings.Contains(k, alex) {
			t.Errorf("key %s still names Alex's number", k)
		}
		if typ := c.rdb.Type(ctx, k).Val(); typ == "hash" {
			for f, v := range c.rdb.HGetAll(ctx, k).Val() {
				if strings.Contains(v, alex) || strings.Contains(f, alex) {
					t.Errorf("hash %s still holds Alex's number in %s", k, f)
				}
			}
		}
	}
	if n, _ := c.rdb.Exists(ctx, "pl:{"+c.env["LINE_ID"]+"}:bot:party:"+bea).Result(); n != 1 {
		t.Fatal("Bea's state went too")
	}
	if out := c.run("", "forget", "-phone", "07700 900101", "-yes"); out.err == nil || !strings.Contains(out.err.Error(), "volunteer remove") {
		t.Fatalf("forgetting a volunteer's number: %v", out.err)
	}
}

func TestBlocksListAndLift(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	c.alwaysOpen()
	c.onShiftToday("Sam", sam)
	l := newLine(c)
	l.at("2026-12-24 23:00")
	if out := c.must("blocks", "list"); !strings.Contains(out, "Nobody is blocked.") {
		t.Fatalf("blocks list: %s", out)
	}
	l.text(alex, "hello")
	code := l.newest()
	l.text(sam, "ACCEPT "+code)
	l.text(sam, "BLOCK")
	c.now = l.now
	out := c.must("blocks", "list")
	for _, want := range []string{code, "Sam (v1)", "Thu 24 Dec 23:00", "Thu 31 Dec 23:00", "*001"} {
		if !strings.Contains(out, want) {
			t.Fatalf("blocks list:\n%s\nlacks %q", out, want)
		}
	}
	noNumbers(t, out)
	if out := c.must("blocks", "lift", strings.ToLower(code)); !strings.Contains(out, "Lifted") {
		t.Fatalf("blocks lift: %s", out)
	}
	if out := c.must("blocks", "list"); !strings.Contains(out, "Nobody is blocked.") {
		t.Fatalf("after lift: %s", out)
	}
}
