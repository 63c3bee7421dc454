package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// cpu is the processor time used so far by each process of the benchmark: the service, Redis (its
// INFO cpu) and the load generator itself (which also plays the fake Twilio and the floor).
type cpu struct{ service, redis, loadgen time.Duration }

func (c cpu) minus(o cpu) cpu {
	return cpu{c.service - o.service, c.redis - o.redis, c.loadgen - o.loadgen}
}

func (c cpu) plus(o cpu) cpu {
	return cpu{c.service + o.service, c.redis + o.redis, c.loadgen + o.loadgen}
}

// cpuNow reads the three processes' time. A figure it cannot read stays 0 (the report then says 0).
func (b *bench) cpuNow(ctx context.Context) cpu {
	var c cpu
	if b.svc != nil && b.svc.cmd != nil && b.svc.cmd.Process != nil {
		c.service = procCPU(b.svc.cmd.Process.Pid)
	}
	info, _ := b.rdb.Info(ctx, "cpu").Result()
	for _, l := range strings.Split(info, "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(l), ":")
		if ok && (k == "used_cpu_user" || k == "used_cpu_sys") {
			s, _ := strconv.ParseFloat(v, 64)
			c.redis += time.Duration(s * float64(time.Second))
		}
	}
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		c.loadgen = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	return c
}

// procCPU reads a process's user and system time from /proc (Linux), in clock ticks of 10 ms.
func procCPU(pid int) time.Duration {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	s := string(raw)
	if i := strings.LastIndexByte(s, ')'); i >= 0 {
		s = s[i+1:]
	}
	f := strings.Fields(s) // f[0] is the state, field 3 of stat; utime and stime are fields 14 and 15
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(u+st) * 10 * time.Millisecond
}

// perMessage is c divided among n messages, in microseconds, as a table cell.
func (c cpu) perMessage(n int) string {
	if n == 0 {
		return "-"
	}
	us := func(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) / float64(n) }
	return fmt.Sprintf("%.0f | %.0f | %.0f | %.0f", us(c.service), us(c.redis), us(c.loadgen), us(c.service+c.redis+c.loadgen))
}
