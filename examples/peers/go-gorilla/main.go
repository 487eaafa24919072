// Echo server and Autobahn client driver on gorilla/websocket (Debian's
// golang-github-gorilla-websocket-dev), the Go peer wscheck tests.
//
//	gorilla-peer server [-validate-utf8] [-port N]     (N = 0: the OS picks; prints "listening on PORT")
//	gorilla-peer client [-validate-utf8] URL AGENT     (the Autobahn fuzzingserver protocol)
//
// Both echo every message with its type. gorilla leaves UTF-8 validation of
// received text to the application (doc.go: "It is the application's
// responsibility to ensure that text messages are valid UTF-8 encoded text"),
// so by default invalid text is echoed as it came. -validate-utf8 adds the
// check an application would write: a text message that is not valid UTF-8
// is answered with a Close frame with code 1007 and the connection is closed.
//
// Limits: gorilla's default read limit is 0 (no limit); it is set to 32 MiB
// here, above the 16 MiB messages of category 9. permessage-deflate stays at
// the library default (off: Upgrader.EnableCompression and
// Dialer.EnableCompression are false).
//
// Build offline with build.sh (GOPATH mode over /usr/share/gocode).
package main

import (
	"flag"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/gorilla/websocket"
)

const readLimit = 1 << 25

// echo answers every message with the same message and type until the
// connection fails or closes, then closes TCP.
func echo(conn *websocket.Conn, validateUTF8 bool) {
	defer conn.Close()
	conn.SetReadLimit(readLimit)
	for {
		kind, data, err := conn.ReadMessage()
		if err != nil {
			return
		}
		if validateUTF8 && kind == websocket.TextMessage && !utf8.Valid(data) {
			msg := websocket.FormatCloseMessage(websocket.CloseInvalidFramePayloadData, "")
			conn.WriteControl(websocket.CloseMessage, msg, time.Now().Add(time.Second))
			return
		}
		if err := conn.WriteMessage(kind, data); err != nil {
			return
		}
	}
}

func serve(args []string) error {
	flags := flag.NewFlagSet("server", flag.ExitOnError)
	port := flags.Int("port", 0, "TCP port on 127.0.0.1 (0: any)")
	validate := flags.Bool("validate-utf8", false, "fail text messages that are not UTF-8 with 1007")
	flags.Parse(args)

	listener, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(*port)))
	if err != nil {
		return err
	}
	upgrader := websocket.Upgrader{}
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, err := upgrader.Upgrade(w, r, nil)
		if err != nil {
			return // Upgrade has answered with an HTTP error
		}
		echo(conn, *validate)
	})
	fmt.Printf("listening on %d\n", listener.Addr().(*net.TCPAddr).Port)
	return http.Serve(listener, handler)
}

// lastMessage opens a control connection of the fuzzingserver API and returns
// the last message received before it closes.
func lastMessage(u string) (string, error) {
	conn, _, err := websocket.DefaultDialer.Dial(u, nil)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	answer := ""
	for {
		_, data, err := conn.ReadMessage()
		if err != nil {
			return answer, nil
		}
		answer = string(data)
	}
}

func drive(args []string) error {
	flags := flag.NewFlagSet("client", flag.ExitOnError)
	validate := flags.Bool("validate-utf8", false, "fail text messages that are not UTF-8 with 1007")
	flags.Parse(args)
	base, agent := "ws://127.0.0.1:9001", "gorilla-websocket"
	if flags.NArg() > 0 {
		base = flags.Arg(0)
	}
	if flags.NArg() > 1 {
		agent = flags.Arg(1)
	}
	for len(base) > 0 && base[len(base)-1] == '/' {
		base = base[:len(base)-1]
	}
	quoted := url.QueryEscape(agent)

	answer, err := lastMessage(base + "/getCaseCount")
	if err != nil {
		return err
	}
	count, err := strconv.Atoi(answer)
	if err != nil {
		return fmt.Errorf("getCaseCount answered %q", answer)
	}
	for n := 1; n <= count; n++ {
		conn, _, err := websocket.DefaultDialer.Dial(fmt.Sprintf("%s/runCase?case=%d&agent=%s", base, n, quoted), nil)
		if err != nil {
			continue // a case may refuse the handshake; go on with the next
		}
		echo(conn, *validate)
	}
	_, err = lastMessage(base + "/updateReports?agent=" + quoted)
	return err
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: gorilla-peer server|client ...")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "server":
		err = serve(os.Args[2:])
	case "client":
		err = drive(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gorilla-peer:", err)
		os.Exit(1)
	}
}
