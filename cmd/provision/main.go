// Command provision generates everything the repository derives from its
// annotated protobuf schemas, and checks that nothing has drifted.
//
// Usage:
//
//	provision <command> [flags]
//
// Run `provision help` for the commands.
package main

import (
	"context"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	// A second interrupt ends the process at once (see runRegistryServe).
	context.AfterFunc(ctx, stop)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
