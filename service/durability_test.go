package service

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"peerline/commit"
)

func TestChooseDurability(t *testing.T) {
	always := server{Version: "7.0.15", AppendOnly: "yes", AppendFsync: "always", ConfigOK: true}
	everysec := server{Version: "7.0.15", AppendOnly: "yes", AppendFsync: "everysec", ConfigOK: true}
	everysec72 := server{Version: "7.2.4", AppendOnly: "yes", AppendFsync: "everysec", ConfigOK: true}
	managed := server{Version: "7.0.15", AppendOnly: "yes"} // CONFIG refused: fsync policy unknown
	replicated := server{Version: "7.0.15", AppendOnly: "no", ConfigOK: true, AppendFsync: "everysec", Replicas: 1}
	none := server{Version: "7.0.15", AppendOnly: "no", AppendFsync: "everysec", ConfigOK: true}
	const key = "pl:{l}:durable"
	wait := commit.Durability{Replicas: 1, Timeout: time.Second, SyncKey: key}
	waitAOF := commit.Durability{AOF: true, Timeout: time.Second, SyncKey: key}
	tests := []struct {
		name   string
		mode   string
		s      server
		want   commit.Durability
		warns  bool
		failed bool
	}{
		{"auto with appendfsync always waits for nothing", durAuto, always, commit.Durability{}, false, false},
		{"auto with everysec on 7.2 waits for the AOF", durAuto, everysec72, waitAOF, false, false},
		{"auto with everysec on 7.0 and no replica warns", durAuto, everysec, commit.Durability{}, true, false},
		{"auto with a replica waits for it", durAuto, replicated, wait, false, false},
		{"auto on a managed Redis that refuses CONFIG warns", durAuto, managed, commit.Durability{}, true, false},
		{"auto with no persistence at all warns", durAuto, none, commit.Durability{}, true, false},
		{"replica waits for it", durReplica, replicated, wait, false, false},
		{"replica with none connected still waits, and warns", durReplica, everysec, wait, true, false},
		{"aof on 7.0 cannot work", durAOF, everysec, commit.Durability{}, false, true},
		{"aof on 7.2 waits for the fsync", durAOF, everysec72, waitAOF, false, false},
		{"aof with appendonly no cannot work", durAOF, server{Version: "7.2.0", AppendOnly: "no"}, commit.Durability{}, false, true},
		{"always on an always server is quiet", durAlways, always, commit.Durability{}, false, false},
		{"always on an everysec server warns", durAlways, everysec, commit.Durability{}, true, false},
		{"none on an everysec server warns", durNone, everysec, commit.Durability{}, true, false},
		{"none on an always server is quiet", durNone, always, commit.Durability{}, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, warn, err := choose(durabilityConfig{Mode: tc.mode, Replicas: 1, Timeout: time.Second}, tc.s, key)
			if (err != nil) != tc.failed {
				t.Fatalf("choose error = %v, want failed %v", err, tc.failed)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("choose (-want +got):\n%s", diff)
			}
			if (len(warn) > 0) != tc.warns {
				t.Errorf("warnings %q, want some: %v", warn, tc.warns)
			}
			for _, w := range warn {
				if !strings.Contains(w, "REDIS_DURABILITY") && !strings.Contains(w, "appendfsync") {
					t.Errorf("warning %q does not say what to change", w)
				}
			}
		})
	}
}

func TestServerVersion(t *testing.T) {
	for v, want := range map[string]bool{"7.2.0": true, "7.0.15": false, "8.0.1": true, "6.2.14": false, "": false} {
		if got := (server{Version: v}).atLeast(7, 2); got != want {
			t.Errorf("%q at least 7.2 = %v, want %v", v, got, want)
		}
	}
}
