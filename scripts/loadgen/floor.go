package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/url"

	"github.com/redis/go-redis/v9"
)

// startFloor serves the floor: a minimal handler on the same HTTP stack that parses the webhook form and
// makes one Redis round trip, in this process. The service's figures are reported against it. With
// check set, it also runs check on each message's Body (the risk check, measured on the floor).
func startFloor(rdb *redis.Client, key string, check func(string) bool) (addr string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 64<<10))
		if err != nil {
			http.Error(w, "read", http.StatusBadRequest)
			return
		}
		form, err := url.ParseQuery(string(body))
		if err != nil || form.Get("MessageSid") == "" {
			http.Error(w, "form", http.StatusBadRequest)
			return
		}
		if check != nil && check(form.Get("Body")) {
			key += ":risky" // never in this load; keeps the call from being optimised away
		}
		if err := rdb.Incr(r.Context(), key).Err(); err != nil {
			http.Error(w, "redis", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/xml")
		_, _ = w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><Response></Response>`))
	})
	srv := &http.Server{Handler: h}
	go func() { _ = srv.Serve(ln) }()
	return "http://" + ln.Addr().String(), func() { _ = srv.Shutdown(context.Background()) }, nil
}
