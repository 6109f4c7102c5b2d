// Command stichwort crawls German news sites and the resolution PDFs they
// link, indexes them with German analysis and serves faceted search, a web
// page and feeds. See README.md for the commands and flags.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := NewMain()
	os.Exit(m.Main(ctx, os.Args[1:]))
}

// Main parses args, runs the command and returns the exit code: 0 success,
// 2 bad usage, 1 other failure.
func (m *Main) Main(ctx context.Context, args []string) int {
	if err := m.ParseFlags(args); err != nil {
		if errors.Is(err, errHelp) {
			return 0
		}
		fmt.Fprintln(m.Stderr, "stichwort:", err)
		return 2
	}
	err := m.Run(ctx)
	if err == nil && m.serving() {
		<-ctx.Done()
	}
	if cerr := m.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		fmt.Fprintln(m.Stderr, "stichwort:", err)
		var ue *usageError
		if errors.As(err, &ue) {
			return 2
		}
		return 1
	}
	return 0
}
