// Command peerline is the messaging line that connects people in recovery who text at night with a
// peer volunteer on shift, and signposts help that is open now when nobody can be reached.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"peerline/service"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := service.Run(ctx, os.Args, os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "peerline:", err)
		os.Exit(1)
	}
}
