package redistest

import (
	"context"
	"fmt"
	"net"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Cluster is a Redis Cluster of masters (no replicas) that one test started from the redis-server on
// PATH (`make test` makes sure there is one), on free local ports, and stops when the test ends.
type Cluster struct {
	Nodes []*Node
}

// Node is one master of a Cluster.
type Node struct {
	Addr   string // 127.0.0.1:port
	First  int    // the first and last hash slot it serves
	Last   int
	bus    int // its cluster bus port
	cmd    *exec.Cmd
	killed bool
}

// Kill stops the node at once (SIGKILL), as a crashed host would; the cluster carries on without it.
func (n *Node) Kill(t testing.TB) {
	t.Helper()
	if err := n.cmd.Process.Kill(); err != nil {
		t.Fatalf("kill redis node %s: %v", n.Addr, err)
	}
	_ = n.cmd.Wait()
	n.killed = true
}

// Addrs returns every node's address.
func (c *Cluster) Addrs() []string {
	out := make([]string, len(c.Nodes))
	for i, n := range c.Nodes {
		out[i] = n.Addr
	}
	return out
}

// NodeOf returns the node that serves key's hash slot (as a live node's CLUSTER KEYSLOT says).
func (c *Cluster) NodeOf(t testing.TB, key string) *Node {
	t.Helper()
	slot := -1
	for _, n := range c.Nodes {
		if n.killed {
			continue
		}
		rdb := redis.NewClient(&redis.Options{Addr: n.Addr})
		s, err := rdb.ClusterKeySlot(context.Background(), key).Result()
		_ = rdb.Close()
		if err != nil {
			t.Fatalf("CLUSTER KEYSLOT: %v", err)
		}
		slot = int(s)
		break
	}
	for _, n := range c.Nodes {
		if n.First <= slot && slot <= n.Last {
			return n
		}
	}
	t.Fatalf("no node serves slot %d", slot)
	return nil
}

// StartCluster starts a cluster of n masters, splitting the 16,384 hash slots evenly, and waits until
// every node says the cluster is ok. A node that stops leaves the others serving their slots
// (cluster-require-full-coverage no), as a deployment of several lines wants.
func StartCluster(t testing.TB, n int) *Cluster {
	t.Helper()
	dir := t.TempDir()
	c := &Cluster{}
	for i := range n {
		c.Nodes = append(c.Nodes, startNode(t, filepath.Join(dir, strconv.Itoa(i))))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	per := 16384 / n
	for i, node := range c.Nodes {
		node.First, node.Last = i*per, (i+1)*per-1
		if i == n-1 {
			node.Last = 16383
		}
		rdb := redis.NewClient(&redis.Options{Addr: node.Addr})
		err := rdb.Do(ctx, "CLUSTER", "ADDSLOTSRANGE", node.First, node.Last).Err()
		if err == nil && i > 0 {
			host, port, _ := net.SplitHostPort(c.Nodes[0].Addr)
			err = rdb.Do(ctx, "CLUSTER", "MEET", host, port, c.Nodes[0].bus).Err()
		}
		_ = rdb.Close()
		if err != nil {
			t.Fatalf("set up cluster node %s: %v", node.Addr, err)
		}
	}
	for _, node := range c.Nodes {
		rdb := redis.NewClient(&redis.Options{Addr: node.Addr})
		for {
			info, err := rdb.ClusterInfo(ctx).Result()
			if err == nil && strings.Contains(info, "cluster_state:ok") &&
				strings.Contains(info, "cluster_known_nodes:"+strconv.Itoa(n)+"\r") {
				break
			}
			select {
			case <-ctx.Done():
				_ = rdb.Close()
				t.Fatalf("cluster node %s never became ok: %v\n%s", node.Addr, err, info)
			case <-time.After(20 * time.Millisecond): // polling a starting cluster, not waiting on the code under test
			}
		}
		_ = rdb.Close()
	}
	return c
}

// startNode starts one cluster-enabled redis-server with its files in dir, on a free port, and makes
// sure the server answering there is the process it started (never another Redis).
func startNode(t testing.TB, dir string) *Node {
	t.Helper()
	for attempt := 0; ; attempt++ {
		port, bus := freePort(t), freePort(t)
		cmd := exec.Command("redis-server", "--bind", "127.0.0.1", "--port", strconv.Itoa(port),
			"--cluster-enabled", "yes", "--cluster-port", strconv.Itoa(bus),
			"--cluster-config-file", filepath.Join(dir+"-nodes.conf"), "--cluster-node-timeout", "2000",
			"--cluster-require-full-coverage", "no", "--save", "", "--appendonly", "no",
			"--dir", filepath.Dir(dir), "--logfile", dir+".log")
		cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
		if err := cmd.Start(); err != nil {
			t.Fatalf("start redis-server (install it, or run `make test`, which does): %v", err)
		}
		node := &Node{Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), bus: bus, cmd: cmd}
		t.Cleanup(func() {
			if !node.killed {
				_ = cmd.Process.Kill()
				_ = cmd.Wait()
			}
		})
		if ours(node.Addr, cmd.Process.Pid) {
			return node
		}
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		node.killed = true
		if attempt == 4 {
			t.Fatalf("redis-server would not start on a free port; see %s.log", dir)
		}
	}
}

// ours waits (up to 5 s) for the Redis at addr to answer, and reports whether it is process pid.
func ours(addr string, pid int) bool {
	rdb := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1})
	defer rdb.Close()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		info, err := rdb.Info(ctx, "server").Result()
		cancel()
		if err == nil {
			return strings.Contains(info, fmt.Sprintf("process_id:%d\r", pid))
		}
		time.Sleep(20 * time.Millisecond) // polling a starting process
	}
	return false
}

// freePort returns a local TCP port that was free a moment ago.
func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("find a free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
