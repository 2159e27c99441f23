// A service stand-in for the fault fixtures (see ../make-fixtures.sh): it logs a few ordinary
// lines the way services do, then does the one thing its -mode names, so that the fault the
// environment causes is printed by the real Go runtime, net, crypto/x509 or time package.
// Builds with go1.19 and go1.27 (standard library only).
package main

import (
	"context"
	"crypto/tls"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime/debug"
	"sync"
	"time"
)

func main() {
	mode := flag.String("mode", "serve", "tls | tz | lookups | threads | exec | serve")
	url := flag.String("url", "", "URL for -mode tls")
	zone := flag.String("zone", "Europe/Berlin", "zone for -mode tz")
	n := flag.Int("n", 8, "concurrent lookups for -mode lookups and threads")
	maxThreads := flag.Int("max-threads", 0, "debug.SetMaxThreads for -mode threads")
	path := flag.String("path", "/app", "program for -mode exec")
	flag.Parse()
	log.SetFlags(log.LstdFlags | log.LUTC)
	log.Printf("starting (mode=%s, pid=%d)", *mode, os.Getpid())
	fmt.Println(`{"level":"info","msg":"config loaded","listen":":8080"}`)

	switch *mode {
	case "tls":
		client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{}}}
		for i := 0; i < 2; i++ {
			resp, err := client.Get(*url)
			if err != nil {
				fmt.Printf(`{"level":"error","msg":"webhook delivery failed","attempt":%d,"error":%q}`+"\n", i+1, err.Error())
				log.Printf("webhook delivery failed: %v", err)
				continue
			}
			resp.Body.Close()
			log.Printf("delivered: %s", resp.Status)
		}
	case "tz":
		loc, err := time.LoadLocation(*zone)
		if err != nil {
			log.Printf("schedule: %v", err)
			log.Fatalf("cannot load schedule zone: %v", err)
		}
		log.Printf("schedule zone %s", loc)
	case "lookups", "threads":
		if *maxThreads > 0 {
			debug.SetMaxThreads(*maxThreads)
		}
		var wg sync.WaitGroup
		for i := 0; i < *n; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				name := fmt.Sprintf("partner-%d.example.biz", i)
				ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
				defer cancel()
				if _, err := net.DefaultResolver.LookupHost(ctx, name); err != nil {
					log.Printf("resolve %s: %v", name, err)
				}
			}(i)
		}
		log.Printf("%d lookups started", *n)
		wg.Wait()
	case "exec":
		cmd := exec.Command(*path, "--once")
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			fmt.Printf(`{"level":"error","msg":"payout run failed","error":%q}`+"\n", err.Error())
			log.Printf("payout run failed: %v", err)
			os.Exit(1)
		}
	default:
		log.Printf("serving")
	}
	log.Printf("done")
}
