// Command somoim-ferretdb runs FerretDB v1 (SQLite backend) for the local somoim stack.
//
// We embed FerretDB through its public `ferretdb` package instead of `go install`ing
// cmd/ferretdb: the stock binary panics at start-up when built outside FerretDB's own
// tree (build/version/version.txt is missing from the module zip, FerretDB#2982).
// Embedded mode keeps its state in memory and has telemetry locked off.
//
// `-ping ADDR` is a tiny health probe for the stack scripts (there is no mongosh here):
// it sends one OP_MSG {ping: 1, $db: "admin"} and exits 0 when the reply says ok: 1.
package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen-addr", "127.0.0.1:27017", "TCP address to listen on (loopback)")
	dir := flag.String("sqlite-dir", "", "directory for the SQLite databases (must exist)")
	ping := flag.String("ping", "", "ping the server at this address and exit")
	level := flag.String("log-level", "info", "debug, info, warn or error")
	flag.Parse()

	if *ping != "" {
		if err := doPing(*ping); err != nil {
			fmt.Fprintf(os.Stderr, "somoim-ferretdb: ping %s: %v\n", *ping, err)
			os.Exit(1)
		}
		fmt.Println("ok")
		return
	}

	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(*level)); err != nil {
		fatal("bad -log-level %q: %v", *level, err)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: lvl}))

	if *dir == "" {
		fatal("-sqlite-dir is required")
	}
	if st, err := os.Stat(*dir); err != nil || !st.IsDir() {
		fatal("-sqlite-dir %q is not an existing directory", *dir)
	}
	// FerretDB wants a file: URL ending in "/" (internal/backends/sqlite/metadata/pool/uri.go).
	url := "file:" + strings.TrimSuffix(*dir, "/") + "/"

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: url,
	})
	if err != nil {
		fatal("ferretdb.New: %v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	logger.Info("somoim-ferretdb started", "uri", f.MongoDBURI(), "sqlite", url)
	if err := f.Run(ctx); err != nil {
		fatal("ferretdb.Run: %v", err)
	}
	logger.Info("somoim-ferretdb stopped")
}

func fatal(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "somoim-ferretdb: "+format+"\n", args...)
	os.Exit(1)
}

// doPing sends OP_MSG {ping: 1, $db: "admin"} and checks the reply for ok: 1.0.
func doPing(addr string) error {
	conn, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		return err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))

	var doc bytes.Buffer // BSON: int32 len, elements, 0x00
	doc.Write([]byte{0, 0, 0, 0})
	doc.Write([]byte("\x10ping\x00")) // int32 element "ping"
	_ = binary.Write(&doc, binary.LittleEndian, int32(1))
	doc.Write([]byte("\x02$db\x00")) // string element "$db"
	_ = binary.Write(&doc, binary.LittleEndian, int32(len("admin")+1))
	doc.Write([]byte("admin\x00"))
	doc.WriteByte(0)
	b := doc.Bytes()
	binary.LittleEndian.PutUint32(b, uint32(len(b)))

	var msg bytes.Buffer // header: length, requestID, responseTo, opCode 2013 (OP_MSG)
	hdr := []int32{int32(16 + 4 + 1 + len(b)), 1, 0, 2013}
	_ = binary.Write(&msg, binary.LittleEndian, hdr)
	_ = binary.Write(&msg, binary.LittleEndian, uint32(0)) // flagBits
	msg.WriteByte(0)                                       // section kind 0: body
	msg.Write(b)
	if _, err := conn.Write(msg.Bytes()); err != nil {
		return err
	}

	var rh [16]byte
	if _, err := io.ReadFull(conn, rh[:]); err != nil {
		return err
	}
	n := binary.LittleEndian.Uint32(rh[:4])
	if n < 16 || n > 1<<20 {
		return fmt.Errorf("bad reply length %d", n)
	}
	body := make([]byte, n-16)
	if _, err := io.ReadFull(conn, body); err != nil {
		return err
	}
	// Look for the double element "ok" (type 0x01) equal to 1.0.
	i := bytes.Index(body, []byte("\x01ok\x00"))
	if i < 0 || i+12 > len(body) {
		return fmt.Errorf("no ok field in reply")
	}
	if v := math.Float64frombits(binary.LittleEndian.Uint64(body[i+4 : i+12])); v != 1 {
		return fmt.Errorf("ok = %v", v)
	}
	return nil
}
